using DuckDB.NET.Data;
using GameAnalytics.Query.Engine;

namespace GameAnalytics.Query.Insights;

/// <summary>
/// Computes the insights in SQL over the lake, with the query service's own sandboxed engine, once per change of
/// the lake: every page poll between two commits is answered from the last computation. Users are counted by
/// <c>user_id</c>, which batch traffic from a game server carries; the host is one server's.
/// </summary>
internal sealed class InsightsService(LakeDatabase database, LakeTables tables, TimeProvider clock)
{
    private static readonly string[] EventTables = ["sword_purchases", "join_guilds", "slay_dragons", "catch_butterflies", "default_hits"];

    private readonly Lock _cache = new();
    private (long Version, InsightsSummary Summary)? _computed;

    public InsightsSummary Summarize()
    {
        var (_, version) = database.Snapshot();
        InsightsSummary summary;
        lock (_cache)
        {
            if (_computed is not { } computed || computed.Version != version)
            {
                _computed = (version, Compute());
            }

            summary = _computed.Value.Summary;
        }

        // The age of the newest event grows between two commits, so it is measured now.
        var latest = summary.Freshness.LatestReceivedAt;
        return summary with { Freshness = summary.Freshness with { AgeSeconds = latest is { } at ? Math.Round((clock.GetUtcNow().UtcDateTime - at).TotalSeconds, 1) : null } };
    }

    private InsightsSummary Compute()
    {
        using var session = database.OpenSession();
        var present = session.TableNames.ToHashSet();
        var eventTables = EventTables.Where(present.Contains).ToList();
        var connection = session.Connection;
        if (eventTables.Count == 0)
        {
            return new InsightsSummary(new GuildShare(0, 0, 0), new PerUser(0, 0), [], [], new Freshness(null, null, null));
        }

        var allEvents = string.Join(" union all ", eventTables.Select(table => $"select user_id, host, event_type, received_at from {table}"));
        var users = Scalar<long>(connection, $"select count(distinct user_id) from ({allEvents})");
        var joined = present.Contains("join_guilds") ? Scalar<long>(connection, "select count(distinct user_id) from join_guilds") : 0;
        var catches = present.Contains("catch_butterflies") ? Scalar<double>(connection, "select coalesce(count(*) * 1.0 / nullif(count(distinct user_id), 0), 0) from catch_butterflies") : 0;
        var slays = present.Contains("slay_dragons") ? Scalar<double>(connection, "select coalesce(count(*) * 1.0 / nullif(count(distinct user_id), 0), 0) from slay_dragons") : 0;

        // The last hour of data the lake has, so that a lake fed long ago still shows its traffic. Minutes come from
        // epoch arithmetic: date_trunc on a timestamp with time zone goes through DuckDB's ICU calendar, 15 times slower.
        var perMinute = Rows(connection,
            $"with events as ({allEvents}) " +
            "select to_timestamp((epoch_ms(received_at) // 60000) * 60) as minute, event_type, count(*) from events " +
            "where received_at > (select max(received_at) from events) - interval 1 hour group by all order by 1, 2",
            row => new EventsPerMinute(DateTime.SpecifyKind(row.GetDateTime(0), DateTimeKind.Utc), row.GetString(1), row.GetInt64(2)));
        var topUsers = Rows(connection,
            $"select user_id, count(*) from ({allEvents}) group by 1 order by 2 desc, 1 limit 10",
            row => new TopUser(row.IsDBNull(0) ? "" : row.GetString(0), row.GetInt64(1)));

        var latest = DateTime.SpecifyKind(Scalar<DateTime>(connection, $"select max(received_at) from ({allEvents})"), DateTimeKind.Utc);
        var landed = eventTables.SelectMany(tables.Files).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty().Max();
        var share = users == 0 ? 0 : Math.Round(joined * 100.0 / users, 1);
        return new InsightsSummary(
            new GuildShare(joined, users, share),
            new PerUser(Math.Round(catches, 2), Math.Round(slays, 2)),
            perMinute,
            topUsers,
            new Freshness(latest, landed, null));
    }

    private static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    }

    private static List<T> Rows<T>(DuckDBConnection connection, string sql, Func<DuckDBDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
