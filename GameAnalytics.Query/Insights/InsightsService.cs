using DuckDB.NET.Data;
using GameAnalytics.Lake.Insights;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Query.Engine;

namespace GameAnalytics.Query.Insights;

/// <summary>
/// Computes the insights in SQL over the lake, with the query service's own sandboxed engine, once per change of
/// the lake: every page poll between two commits is answered from the last computation. The questions are
/// <see cref="InsightQueries"/>, which <c>gamectl insights</c> asks too.
/// </summary>
internal sealed class InsightsService(LakeDatabase database, LakeTables tables, TimeProvider clock)
{
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
        var questions = new InsightQueries(session.TableNames.ToHashSet());
        var connection = session.Connection;
        if (questions.AllEvents is not { } allEvents)
        {
            return new InsightsSummary(new GuildShare(0, 0, 0), new PerUser(0, 0), [], [], new Freshness(null, null, null));
        }

        var users = Scalar<long>(connection, questions.Users);
        var joined = Scalar<long>(connection, questions.GuildJoiners);
        var catches = Scalar<double>(connection, questions.CatchesPerCatcher);
        var slays = Scalar<double>(connection, questions.SlaysPerSlayer);

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
        var landed = questions.Tables
            .SelectMany(table => TableSnapshot.Files(tables.Storage, table))
            .Select(file => tables.Storage.Status(file)?.ModifiedAt.UtcDateTime ?? default)
            .DefaultIfEmpty()
            .Max();
        var share = users == 0 ? 0 : Math.Round(joined * 100.0 / users, 1);
        return new InsightsSummary(
            new GuildShare(joined, users, share),
            new PerUser(Math.Round(catches, 2), Math.Round(slays, 2)),
            perMinute,
            topUsers,
            new Freshness(latest, landed, null));
    }

    /// <summary>The answer, or 0 for a question whose table does not exist yet.</summary>
    private static T Scalar<T>(DuckDBConnection connection, string? sql) where T : struct
    {
        if (sql is null)
        {
            return default;
        }

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
