// Per-event freshness of a lake landed by GameAnalytics.Streaming, for bench/landing.sh:
// (when the event's file became visible: its commit record's committed_at) - (the event's received_at).
// Usage: dotnet run bench/freshness.cs -- <lake root> [<since: ISO 8601 UTC>]
// Reads every commit record under <lake>/_streaming/<topic>/p*/ (Streaming keeps a partition's newest 100, so
// this covers about the last 100 s of a partition at the default 1 s flush interval) and, with DuckDB, the
// received_at of every event in the files each record names. Events received before <since> (a warm-up) are
// left out. Prints one JSON line: counts, and p50/p90/p99/max in milliseconds; and, per commit, how long its oldest
// event had waited (commit_oldest_*: the flush interval plus the consume and write delays) and its newest (commit_newest_*).
#:package DuckDB.NET.Data.Full
#:project ../GameAnalytics.Lake/GameAnalytics.Lake.csproj
// Package versions come from Directory.Packages.props, as the projects' do. Never published: no AOT.
#:property PublishAot=false
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using GameAnalytics.Lake.Tables;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: freshness.cs <lake root> [<since, ISO 8601 UTC>]");
    return 2;
}

var lake = Path.GetFullPath(args[0]);
var sinceMs = args.Length == 2
    ? DateTimeOffset.Parse(args[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds()
    : long.MinValue;
var streaming = Path.Combine(lake, "_streaming");
if (!Directory.Exists(streaming))
{
    Console.Error.WriteLine($"{streaming} does not exist: nothing was committed");
    return 1;
}

using var connection = new DuckDBConnection("DataSource=:memory:");
connection.Open();
using (var setup = connection.CreateCommand())
{
    setup.CommandText = "SET TimeZone='UTC'";
    setup.ExecuteNonQuery();
}

var freshness = new List<double>();
var oldest = new List<double>();
var newest = new List<double>();
int commits = 0, files = 0, missing = 0;
long early = 0, rejectedFiles = 0;
foreach (var path in Directory.EnumerateFiles(streaming, "*.json", SearchOption.AllDirectories))
{
    using var record = JsonDocument.Parse(File.ReadAllBytes(path));
    var committedAt = record.RootElement.GetProperty("committed_at").GetDateTimeOffset();
    var committedMs = (committedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond;
    // A takeover record (a new owner of the partition) lands nothing.
    if (record.RootElement.GetProperty("files").GetArrayLength() == 0)
    {
        continue;
    }

    commits++;
    var (commitOldest, commitNewest) = (double.MinValue, double.MaxValue);
    foreach (var file in record.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!))
    {
        if (file.StartsWith(TableNames.Rejected + "/", StringComparison.Ordinal))
        {
            rejectedFiles++;
            continue;
        }

        var full = Path.Combine(lake, file);
        if (!File.Exists(full))
        {
            missing++;
            continue;
        }

        files++;
        using var query = connection.CreateCommand();
        query.CommandText = $"SELECT epoch_ms(received_at) FROM read_parquet('{full.Replace("'", "''")}')";
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            var receivedMs = reader.GetInt64(0);
            if (receivedMs < sinceMs)
            {
                early++;
                continue;
            }

            freshness.Add(committedMs - receivedMs);
            commitOldest = Math.Max(commitOldest, committedMs - receivedMs);
            commitNewest = Math.Min(commitNewest, committedMs - receivedMs);
        }
    }

    if (commitOldest > double.MinValue)
    {
        oldest.Add(commitOldest);
        newest.Add(commitNewest);
    }
}

freshness.Sort();
oldest.Sort();
newest.Sort();
string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
string Of(List<double> values, double q) => values.Count == 0 ? "null" : Ms(values[Math.Clamp((int)Math.Ceiling(q * values.Count) - 1, 0, values.Count - 1)]);
string Quantile(double q) => Of(freshness, q);
Console.WriteLine(
    $"{{\"events\":{freshness.Count},\"events_before_since\":{early},\"commits\":{commits},\"files\":{files},\"rejected_files\":{rejectedFiles},\"missing_files\":{missing}," +
    $"\"min_ms\":{Quantile(0)},\"p50_ms\":{Quantile(0.5)},\"p90_ms\":{Quantile(0.9)},\"p99_ms\":{Quantile(0.99)},\"max_ms\":{Quantile(1)}," +
    $"\"mean_ms\":{(freshness.Count == 0 ? "null" : Ms(freshness.Average()))}," +
    $"\"commit_oldest_p50_ms\":{Of(oldest, 0.5)},\"commit_oldest_p99_ms\":{Of(oldest, 0.99)},\"commit_oldest_max_ms\":{Of(oldest, 1)}," +
    $"\"commit_newest_p50_ms\":{Of(newest, 0.5)},\"commit_newest_p99_ms\":{Of(newest, 0.99)}}}");
return missing == 0 ? 0 : 1;
