// Gathers one suite run's results (bench/results/<name>-<date>.json) into bench/results/<date>.json and writes its
// table into BENCHMARKS.md between the markers <!-- suite:start --> and <!-- suite:end -->.
//   dotnet run bench/report.cs -- <bench folder> <date> <suite seconds>
// The repository pins versions centrally (Directory.Packages.props); a file-based app states its own. Never published: no AOT.
#:property ManagePackageVersionsCentrally=false
#:property PublishAot=false

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var bench = args[0];
var date = args[1];
var suiteSeconds = double.Parse(args[2], CultureInfo.InvariantCulture);
var results = Path.Combine(bench, "results");

JsonNode Load(string name) =>
    JsonNode.Parse(File.ReadAllText(Path.Combine(results, $"{name}-{date}.json")))
    ?? throw new InvalidDataException($"{name}-{date}.json is empty");

var collector = Load("collector");
var landing = Load("landing");
var query = Load("query");
var topology = Load("topology");
var versus = Load("versus-original");

double Number(JsonNode? node) => node?.GetValue<double>() ?? double.NaN;
string N0(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
string N1(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

var insights = query["result"]!["insights"]!.AsObject();
var insightQueries = insights.Where(entry => !entry.Key.Contains("epoch_ms", StringComparison.Ordinal)).ToList();
var perMinute = insights.Single(entry => entry.Key.Contains("epoch_ms", StringComparison.Ordinal)).Value!;
var fresh = landing["freshness"]!["result"]!;

// measure, how it was measured, result, target, met
var rows = new List<(string Measure, string How, string Result, string Target, bool? Met)>
{
    ("single events", $"wrk, {collector["settings"]!["connections"]} connections, {collector["settings"]!["duration"]}",
        $"{N0(Number(collector["single_max"]!["rps"]))} req/s", "at least 15,000/s", Number(collector["single_max"]!["rps"]) >= 15_000),
    ("single events, p99 at half load", $"wrk paced to {N0(Number(collector["single_fixed_rate"]!["target_rps"]))} req/s, {collector["settings"]!["rate_connections"]} connections",
        $"p50 {N1(Number(collector["single_fixed_rate"]!["p50_ms"]))} ms, p99 {N1(Number(collector["single_fixed_rate"]!["p99_ms"]))} ms", "p99 at most 10 ms", Number(collector["single_fixed_rate"]!["p99_ms"]) <= 10),
    ("batch, `POST /v1/events` x1000", $"wrk, {collector["settings"]!["batch_connections"]} connections, {collector["settings"]!["duration"]}",
        $"{N0(Number(collector["batch_1000"]!["events_per_s"]))} events/s", "at least 200,000 events/s", Number(collector["batch_1000"]!["events_per_s"]) >= 200_000),
    ("single events as users run it", $"`dotnet run` of the AppHost (Debug, dashboard on), wrk, {versus["settings"]!["connections"]} connections, {versus["settings"]!["rounds"]} rounds of {versus["settings"]!["duration"]} against the original app",
        $"{N0(Number(versus["ours_rps"]))} req/s, the original {N0(Number(versus["original_rps"]))}: {N1(Number(versus["ratio"]))} times", "at least 15,000/s and 25 times the original",
        Number(versus["ours_rps"]) >= 15_000 && Number(versus["ratio"]) >= 25),
    ("as users run it, p99 at half load", $"wrk paced to {N0(Number(versus["ours_half_rate"]!["target_rps"]))} req/s, {versus["settings"]!["rate_connections"]} connections",
        $"p50 {N1(Number(versus["ours_half_rate"]!["p50_ms"]))} ms, p99 {N1(Number(versus["ours_half_rate"]!["p99_ms"]))} ms", "p99 at most 10 ms", Number(versus["ours_half_rate"]!["p99_ms"]) <= 10),
    ("API peak RSS", "over the three collector runs", $"{N0(Number(collector["api_peak_rss_mib"]))} MiB", "", null),
    ("landing, Kafka to committed Parquet", $"{N0(Number(landing["landing"]!["events"]))} events backlog, Streaming alone",
        $"{N0(Number(landing["landing"]!["events_per_s"]))} events/s; {N0(Number(landing["landing"]!["events_per_cpu_s"]))} per CPU-second",
        "at least 200,000 per CPU-second", Number(landing["landing"]!["events_per_cpu_s"]) >= 200_000),
    ("Streaming peak RSS at a steady rate", $"wrk, {N0(Number(landing["settings"]!["steady_rate"]))} events/s in batches, {landing["settings"]!["steady_duration"]}",
        $"{N0(Number(landing["steady"]!["streaming_peak_rss_mib"]))} MiB", "at most 300 MB", Number(landing["steady"]!["streaming_peak_rss_mib"]) * 1.048576 <= 300),
    ("freshness, accept to visible in SQL", $"wrk, {N0(Number(landing["settings"]!["fresh_rate"]))} single events/s, {landing["settings"]!["fresh_duration"]}",
        $"p50 {N0(Number(fresh["p50_ms"]))} ms, p99 {N0(Number(fresh["p99_ms"]))} ms", "p99 at most 1 s", Number(fresh["p99_ms"]) <= 1_000),
    ("insight queries (guild share, catches, slays)", $"{N0(Number(query["events"]))} events, Presto protocol, cold then median of 5 warm",
        $"cold {N0(insightQueries.Max(entry => Number(entry.Value!["cold_ms"])))} ms, warm {N0(insightQueries.Max(entry => Number(entry.Value!["warm_median_ms"])))} ms (slowest)",
        "at most 500 ms", insightQueries.All(entry => Number(entry.Value!["warm_median_ms"]) <= 500 && Number(entry.Value!["cold_ms"]) <= 500)),
    ("events per minute", $"{N0(Number(query["events"]))} events, 1,440 minutes",
        $"cold {N0(Number(perMinute["cold_ms"]))} ms, warm {N0(Number(perMinute["warm_median_ms"]))} ms", "at most 500 ms",
        Number(perMinute["cold_ms"]) <= 500 && Number(perMinute["warm_median_ms"]) <= 500),
    ("insight queries, 20 concurrent clients", "the three insight queries in turn, 10 s",
        $"{N1(Number(query["result"]!["concurrent"]!["per_second"]))} queries/s, p99 {N0(Number(query["result"]!["concurrent"]!["p99_ms"]))} ms", "p99 at most 300 ms",
        Number(query["result"]!["concurrent"]!["p99_ms"]) <= 300),
    ("a 20,000,000-row result", "first page, then every page, as a client reads it",
        $"first page {N0(Number(query["large_result"]!["first_page_ms"]))} ms; peak RSS {N0(Number(query["large_result_peak_rss_mib"]))} MiB",
        "first page at most 200 ms, under 500 MB", Number(query["large_result"]!["first_page_ms"]) <= 200 && Number(query["large_result_peak_rss_mib"]) * 1.048576 < 500),
    ("whole embedded topology, peak RSS under load", $"gamectl simulate, {N0(Number(topology["settings"]!["rate"]))} events/s in batches of {topology["settings"]!["batch"]}, {topology["settings"]!["duration"]}",
        $"{N0(Number(topology["peak_rss_mib"]))} MiB RSS summed, {N0(Number(topology["peak_pss_mib"]))} MiB PSS (idle {N0(Number(topology["idle_rss_mib"]))} MiB RSS; {N0(Number(topology["events_queryable"]))} events queryable)",
        "at most 1.5 GB", Number(topology["peak_rss_mib"]) * 1.048576 <= 1_500),
};

var machine = collector["machine"]!;
var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"Suite run {date} at commit {collector["commit"]?.GetValue<string>()[..7]}: `bench/run`, {N0(suiteSeconds / 60)} minutes, {machine["cpus"]} cores, {topology["machine"]!["memory_gib"]} GiB, .NET SDK {machine["dotnet"]}; the load tool, the service and the broker share the cores.");
table.AppendLine();
table.AppendLine("| measure | how | result | target | |");
table.AppendLine("| --- | --- | --- | --- | --- |");
foreach (var row in rows)
{
    table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Measure} | {row.How} | {row.Result} | {row.Target} | {(row.Met is null ? "" : row.Met.Value ? "met" : "**missed**")} |");
}

var suite = new JsonObject
{
    ["suite"] = "bench/run",
    ["date"] = date,
    ["seconds"] = suiteSeconds,
    ["commit"] = collector["commit"]?.DeepClone(),
    ["machine"] = topology["machine"]!.DeepClone(),
    ["summary"] = new JsonArray(rows.Select(row => (JsonNode)new JsonObject
    {
        ["measure"] = row.Measure, ["how"] = row.How, ["result"] = row.Result, ["target"] = row.Target, ["met"] = row.Met,
    }).ToArray()),
    ["collector"] = collector.DeepClone(),
    ["landing"] = landing.DeepClone(),
    ["query"] = query.DeepClone(),
    ["topology"] = topology.DeepClone(),
    ["versus_original"] = versus.DeepClone(),
};
File.WriteAllText(Path.Combine(results, $"{date}.json"), suite.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

var benchmarks = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bench))!, "BENCHMARKS.md");
var text = File.ReadAllText(benchmarks);
const string start = "<!-- suite:start -->", end = "<!-- suite:end -->";
var from = text.IndexOf(start, StringComparison.Ordinal);
var to = text.IndexOf(end, StringComparison.Ordinal);
if (from < 0 || to < from)
{
    throw new InvalidDataException($"BENCHMARKS.md needs the markers {start} and {end}.");
}

File.WriteAllText(benchmarks, text[..(from + start.Length)] + "\n" + table + text[to..]);
Console.Write(table);
return 0;
