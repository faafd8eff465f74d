// The query service's benchmark, for bench/query.sh. Two verbs:
//   dotnet run bench/query.cs -- generate <lake root> <events>   writes a lake of the original's shape with DuckDB
//   dotnet run bench/query.cs -- measure <server url>            times the insight queries through the Presto protocol
// measure prints one JSON line: per query the cold (first) and warm (median of 5) time to the last row, the first page
// of select count(*), and 20 concurrent clients' throughput and p99 over 10 s.
#:package DuckDB.NET.Data.Full
#:project ../GameAnalytics.Presto/GameAnalytics.Presto.csproj
#:project ../GameAnalytics.Lake/GameAnalytics.Lake.csproj
// Package versions come from Directory.Packages.props, as the projects' do. Never published: no AOT.
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using GameAnalytics.Contracts;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Presto;

return args[0] switch
{
    "generate" => Generate(args[1], long.Parse(args[2], CultureInfo.InvariantCulture)),
    "measure" => await Measure(new Uri(args[1])),
    "large" => await Large(new Uri(args[1]), long.Parse(args[2], CultureInfo.InvariantCulture)),
    _ => throw new ArgumentException("generate <lake> <events> | measure <url> | large <url> <rows>"),
};

// The original's mix: swords 40%, butterflies 25%, guilds 20%, dragons 15%, over 10,000 users, one day.
static int Generate(string lake, long events)
{
    (string Table, string Type, double Share)[] tables =
        [(TableNames.SwordPurchases, EventTypes.PurchaseSword, 0.40), (TableNames.CatchButterflies, EventTypes.CatchButterfly, 0.25),
         (TableNames.JoinGuilds, EventTypes.JoinGuild, 0.20), (TableNames.SlayDragons, EventTypes.SlayDragon, 0.15)];
    using var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    foreach (var (table, type, share) in tables)
    {
        var rows = (long)(events * share);
        var directory = Path.Combine(lake, table, "dt=2026-11-29");
        Directory.CreateDirectory(directory);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"copy (select '{{\"event_type\":\"{type}\"}}' as raw_event, strftime(t, '%Y-%m-%d %H:%M:%S.%g') as \"timestamp\", '*/*' as accept, " +
            $"'user' || (i % 10000) || '.datafun.com' as host, 'ApacheBench/2.3' as \"user-agent\", '{type}' as event_type, uuid()::varchar as event_id, " +
            $"'user' || (i % 10000) || '.datafun.com' as user_id, t as received_at, null::timestamptz as client_time, null::varchar as properties, " +
            $"(i % 12)::integer as kafka_partition, i as kafka_offset " +
            $"from (select i, TIMESTAMPTZ '2026-11-29 00:00:00+00' + to_milliseconds(i * 86400000 // {rows}) as t from range({rows}) r(i))) " +
            $"to '{Path.Combine(directory, $"p000-000000000000-0-{rows - 1}.parquet")}' (format parquet, compression snappy, row_group_size 1000000)";
        command.ExecuteNonQuery();
    }

    return 0;
}

static async Task<int> Measure(Uri server)
{
    var client = new PrestoClient(new HttpClient(), new PrestoClientOptions { Server = server, User = "bench" });
    string[] insights =
    [
        $"select count(distinct host) * 100 / 3 as percent_users from {TableNames.JoinGuilds}",
        $"select count(*) / count(distinct host) as avg_catch from {TableNames.CatchButterflies}",
        $"select count(*) / count(distinct host) as avg_slays from {TableNames.SlayDragons}",
        // As the insights page computes it: epoch arithmetic, not date_trunc through DuckDB's ICU calendar.
        $"select to_timestamp((epoch_ms(received_at) // 60000) * 60) as minute, count(*) from {TableNames.SwordPurchases} group by 1 order by 1",
    ];
    var results = new Dictionary<string, object>();
    foreach (var sql in insights)
    {
        var cold = await Time(client, sql);
        var warm = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            warm.Add(await Time(client, sql));
        }

        results[sql] = new { cold_ms = cold, warm_median_ms = warm.Order().ElementAt(2) };
    }

    var firstPage = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await foreach (var _ in client.Query($"select count(*) from {TableNames.SwordPurchases}"))
        {
            firstPage.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            break;
        }
    }

    // The three insight queries of the original, as the insights page's users run them.
    var latencies = new List<double>();
    var until = DateTime.UtcNow.AddSeconds(10);
    await Task.WhenAll(Enumerable.Range(0, 20).Select(async worker =>
    {
        while (DateTime.UtcNow < until)
        {
            var ms = await Time(client, insights[worker % 3]);
            lock (latencies)
            {
                latencies.Add(ms);
            }
        }
    }));
    latencies.Sort();

    Console.WriteLine(JsonSerializer.Serialize(new
    {
        insights = results,
        count_first_page_median_ms = firstPage.Order().ElementAt(2),
        concurrent = new { clients = 20, seconds = 10, queries = latencies.Count, per_second = latencies.Count / 10.0, p50_ms = latencies[latencies.Count / 2], p99_ms = latencies[(int)(latencies.Count * 0.99)] },
    }));
    return 0;
}

// A result too large to hold: the time to its first page, and to page through all of it as a client reads it.
static async Task<int> Large(Uri server, long rows)
{
    var client = new PrestoClient(new HttpClient(), new PrestoClientOptions { Server = server, User = "bench" });
    // A started service, not a cold one: the first query after start also pays for JIT and the lake's first listing.
    await client.QueryAllAsync("select 1");
    var started = Stopwatch.GetTimestamp();
    double? firstPage = null;
    long seen = 0;
    await foreach (var _ in client.Query($"select x, repeat('a', 100) as pad from range({rows}) t(x)"))
    {
        firstPage ??= Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        seen++;
    }

    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    Console.WriteLine(JsonSerializer.Serialize(new { rows = seen, first_page_ms = firstPage, all_rows_seconds = Math.Round(seconds, 1), rows_per_second = Math.Round(seen / seconds) }));
    return seen == rows ? 0 : 1;
}

static async Task<double> Time(PrestoClient client, string sql)
{
    var started = Stopwatch.GetTimestamp();
    await client.QueryAllAsync(sql);
    return Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
}
