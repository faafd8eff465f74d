// Load generator and verifier for bench/outage.sh (a broker outage under steady load).
//
//   dotnet run bench/outage.cs -- load --url U --rate R --batch B --connections C --duration S --accepted FILE
//        [--stop-file F] [--requests FILE] [--started FILE] [--users 1000] [--timeout 15]
//     POSTs /v1/events arrays of B events (each with its own client event_id) at R events/s for S seconds, or until
//     F exists. Open loop: a request goes out on schedule whenever fewer than C are outstanding; when C are, the
//     send waits for a slot and the schedule skips the slots it missed (counted as skipped, never sent). No retries:
//     a failed event stays failed. Every event_id the collector answered "accepted" (in a 202, or in a 503's
//     per-event results) is appended to the --accepted file. --requests gets one CSV line per request
//     (send_ms,done_ms,status,events,accepted,failed,rejected; status is the HTTP status, or timeout or error),
//     --started the epoch (ms) of the schedule's start. A line per second goes to stderr, one JSON summary to stdout.
//
//   dotnet run bench/outage.cs -- verify --lake DIR --accepted FILE [--wait 0] [--settle 20]
//     Checks with DuckDB that every accepted id is in the lake's committed Parquet. With --wait S it re-reads
//     (only new files) every second until nothing is missing, S seconds passed, or no file appeared for --settle s.
//     Prints JSON: accepted, landed_of_accepted, missing, extra_landed, duplicates, ...
//
//   dotnet run bench/outage.cs -- timeline --requests FILE --down MS --up MS [--term-exit MS]
//     From the --requests log: what the clients saw while the broker was down (from --down to --up, epoch ms) and
//     how soon after --up the collector accepted again. Prints JSON.
#:package DuckDB.NET.Data.Full
#:project ../GameAnalytics.Lake/GameAnalytics.Lake.csproj
// Package versions come from Directory.Packages.props, as the projects' do. Never published: no AOT.
#:property PublishAot=false
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 0)
{
    return Usage();
}

var options = Options.Parse(args.Skip(1));
try
{
    return args[0] switch
    {
        "load" => await Load.RunAsync(options),
        "verify" => Verify.Run(options),
        "timeline" => Timeline.Run(options),
        _ => Usage(),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: outage.cs load --url U --rate R --batch B --connections C --duration S --accepted FILE [--stop-file F] [--requests FILE] [--started FILE] [--users N] [--timeout S]");
    Console.Error.WriteLine("       outage.cs verify --lake DIR --accepted FILE [--wait S] [--settle S]");
    Console.Error.WriteLine("       outage.cs timeline --requests FILE --down EPOCH_MS --up EPOCH_MS [--term-exit EPOCH_MS]");
    return 2;
}

sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var key = e.Current;
            if (!key.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                throw new ArgumentException($"expected --name value, got {key}");
            }

            values[key[2..]] = e.Current;
        }

        return new Options(values);
    }

    public string? Get(string name) => values.GetValueOrDefault(name);

    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public double Number(string name, double? fallback = null) =>
        Get(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");
}

static class Json
{
    public static string Print(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static JsonNode? Ms(double value) => double.IsNaN(value) ? null : JsonValue.Create(Math.Round(value, 1));
}

/// <summary>One request as the client saw it. Status: the HTTP status, 0 for a timeout, -1 for a connection error.</summary>
sealed record RequestRecord(long SendMs, long DoneMs, int Status, int Events, int Accepted, int Failed, int Rejected, double LatencyMs)
{
    public const int Timeout = 0;
    public const int Error = -1;

    public string StatusText => Status switch { Timeout => "timeout", Error => "error", _ => Status.ToString(CultureInfo.InvariantCulture) };

    public string Csv() => $"{SendMs},{DoneMs},{StatusText},{Events},{Accepted},{Failed},{Rejected}";

    public static RequestRecord Parse(string line)
    {
        var f = line.Split(',');
        var status = f[2] switch { "timeout" => Timeout, "error" => Error, var s => int.Parse(s, CultureInfo.InvariantCulture) };
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        int I(int i) => int.Parse(f[i], CultureInfo.InvariantCulture);
        return new RequestRecord(L(0), L(1), status, I(3), I(4), I(5), I(6), L(1) - L(0));
    }

    public static IEnumerable<RequestRecord> ReadAll(string path) =>
        File.ReadLines(path).Where(line => line.Length > 0 && char.IsDigit(line[0])).Select(Parse);
}

static class Load
{
    private static readonly string[] Types = ["purchase_sword", "join_guild", "slay_dragon", "catch_butterfly"];

    public static async Task<int> RunAsync(Options o)
    {
        var url = new Uri(new Uri(o.Required("url")), "/v1/events");
        var rate = o.Number("rate");
        var batch = (int)o.Number("batch");
        var connections = (int)o.Number("connections");
        var duration = TimeSpan.FromSeconds(o.Number("duration"));
        var users = (int)o.Number("users", 1000);
        var timeout = TimeSpan.FromSeconds(o.Number("timeout", 15));
        var stopFile = o.Get("stop-file");
        var acceptedPath = o.Required("accepted");
        if (rate <= 0 || batch is < 1 or > 1000 || connections < 1)
        {
            throw new ArgumentException("--rate must be > 0, --batch 1 to 1000, --connections >= 1");
        }

        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };

        await using var accepted = new StreamWriter(acceptedPath, append: false, new UTF8Encoding(false), 1 << 16);
        var records = new ConcurrentQueue<RequestRecord>();
        var counters = new Counters();
        var gate = new SemaphoreSlim(connections);
        var inFlight = new ConcurrentDictionary<long, Task>();
        var interval = TimeSpan.FromSeconds(batch / rate);
        long skippedRequests = 0, mismatchedIds = 0;

        async Task SendAsync(long sequence)
        {
            var ids = new string[batch];
            var body = new ArrayBufferWriter<byte>(batch * 160);
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartArray();
                for (var i = 0; i < batch; i++)
                {
                    ids[i] = Guid.NewGuid().ToString();
                    var type = Types[Random.Shared.Next(Types.Length)];
                    json.WriteStartObject();
                    json.WriteString("event_type", type);
                    json.WriteString("user_id", $"user{Random.Shared.Next(users) + 1}"); // the Kafka key: spreads over partitions
                    json.WriteString("event_id", ids[i]);
                    if (type == "purchase_sword")
                    {
                        json.WriteStartObject("properties");
                        json.WriteString("sword", "excalibur");
                        json.WriteNumber("price", 30);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            var sendMs = Json.NowMs();
            var clock = Stopwatch.StartNew();
            int status, nAccepted = 0, nFailed = 0, nRejected = 0;
            Interlocked.Add(ref counters.Sent, batch);
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                using var content = new ByteArrayContent(body.WrittenMemory.ToArray());
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(url, content, cancel.Token);
                status = (int)response.StatusCode;
                var bytes = await response.Content.ReadAsByteArrayAsync(cancel.Token);
                // A 202 and a 503 both carry per-event results; the accepted ones of either are in Kafka.
                if (TryResults(bytes, out var results))
                {
                    var lines = new StringBuilder();
                    foreach (var result in results.EnumerateArray())
                    {
                        var index = result.GetProperty("index").GetInt32();
                        switch (result.GetProperty("status").GetString())
                        {
                            case "accepted":
                                nAccepted++;
                                if (result.TryGetProperty("event_id", out var id) && id.GetString() != ids[index])
                                {
                                    Interlocked.Increment(ref mismatchedIds);
                                }

                                lines.Append(ids[index]).Append('\n');
                                break;
                            case "failed":
                                nFailed++;
                                break;
                            default:
                                nRejected++;
                                break;
                        }
                    }

                    if (lines.Length > 0)
                    {
                        lock (accepted)
                        {
                            accepted.Write(lines);
                        }
                    }
                }
                else if (status is >= 400 and < 500)
                {
                    nRejected = batch; // 4xx without results (413, 429, ...): the collector refused the whole request
                }
                else
                {
                    nFailed = status is >= 200 and < 300 ? 0 : batch; // a 503 at capacity has no results: nothing was stored
                }
            }
            catch (OperationCanceledException)
            {
                status = RequestRecord.Timeout;
            }
            catch (HttpRequestException)
            {
                status = RequestRecord.Error;
            }

            var record = new RequestRecord(sendMs, Json.NowMs(), status, batch, nAccepted, nFailed, nRejected, clock.Elapsed.TotalMilliseconds);
            records.Enqueue(record);
            counters.Add(record);
        }

        var startedMs = Json.NowMs();
        if (o.Get("started") is { } startedFile)
        {
            await File.WriteAllTextAsync(startedFile, startedMs.ToString(CultureInfo.InvariantCulture));
        }

        var schedule = Stopwatch.StartNew();
        using var ticker = new CancellationTokenSource();
        var printer = PrintEverySecondAsync(counters, schedule, () => connections - gate.CurrentCount, () => Interlocked.Read(ref skippedRequests), ticker.Token);
        for (long slot = 0; ; slot++)
        {
            var due = interval * slot;
            if (due >= duration || (stopFile is not null && File.Exists(stopFile)))
            {
                break;
            }

            var wait = due - schedule.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (!gate.Wait(0))
            {
                // C requests outstanding: wait for one to finish, then skip the slots that went by meanwhile.
                if (!await gate.WaitAsync(duration - schedule.Elapsed > TimeSpan.Zero ? duration - schedule.Elapsed : TimeSpan.Zero))
                {
                    skippedRequests += (long)((duration - due) / interval);
                    break;
                }

                var missed = (long)((schedule.Elapsed - due) / interval);
                skippedRequests += missed;
                slot += missed;
                if (interval * slot >= duration)
                {
                    gate.Release();
                    break;
                }
            }

            var sequence = slot;
            var task = Task.Run(async () =>
            {
                try
                {
                    await SendAsync(sequence);
                }
                finally
                {
                    gate.Release();
                }
            });
            inFlight[sequence] = task;
            _ = task.ContinueWith(_ => inFlight.TryRemove(sequence, out Task? _), TaskScheduler.Default);
        }

        var loadEnded = schedule.Elapsed;
        await Task.WhenAll(inFlight.Values.ToArray());
        ticker.Cancel();
        await printer;
        await accepted.FlushAsync();

        var all = records.OrderBy(r => r.SendMs).ToList();
        if (o.Get("requests") is { } requestsFile)
        {
            await File.WriteAllLinesAsync(requestsFile, all.Select(r => r.Csv()).Prepend("send_ms,done_ms,status,events,accepted,failed,rejected"));
        }

        Console.WriteLine(Json.Print(Summary(all, startedMs, loadEnded, skippedRequests, batch, rate, connections, mismatchedIds)));
        return 0;
    }

    private static bool TryResults(byte[] bytes, out JsonElement results)
    {
        results = default;
        if (bytes.Length == 0 || bytes[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.TryGetProperty("results", out var found) && found.ValueKind == JsonValueKind.Array)
            {
                results = found.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static JsonObject Summary(List<RequestRecord> all, long startedMs, TimeSpan loadEnded, long skipped, int batch, double rate, int connections, long mismatched)
    {
        var byStatus = new JsonObject();
        foreach (var group in all.GroupBy(r => r.StatusText).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            byStatus[group.Key] = group.Count();
        }

        var latencies = all.Where(r => r.Status > 0).Select(r => r.LatencyMs).Order().ToList();
        var seconds = all.Count == 0 ? 0 : (int)((all.Max(r => r.DoneMs) - startedMs) / 1000) + 1;
        int[] Series(Func<RequestRecord, long> at, Func<RequestRecord, int> value)
        {
            var series = new int[seconds];
            foreach (var r in all)
            {
                series[Math.Clamp((int)((at(r) - startedMs) / 1000), 0, seconds - 1)] += value(r);
            }

            return series;
        }

        JsonArray Array(int[] values) => new(values.Select(v => (JsonNode)v).ToArray());
        var otherServerErrors = all.Count(r => r.Status >= 500 && r.Status != 503);
        var unexpected = all.Count(r => r.Status > 0 && !(r.Status is >= 200 and < 300 or >= 400 and < 500 or 503));
        return new JsonObject
        {
            ["started_ms"] = startedMs,
            ["duration_s"] = Math.Round(loadEnded.TotalSeconds, 2),
            ["rate"] = rate,
            ["batch"] = batch,
            ["connections"] = connections,
            ["requests"] = all.Count,
            ["requests_skipped"] = skipped, // not sent: C requests were outstanding at their time
            ["events_sent"] = all.Sum(r => r.Events),
            ["accepted"] = all.Sum(r => r.Accepted),
            ["failed"] = all.Sum(r => r.Failed),
            ["rejected"] = all.Sum(r => r.Rejected),
            ["events_unanswered"] = all.Where(r => r.Status <= 0).Sum(r => r.Events), // timeouts and connection errors: fate unknown
            ["accepted_in_503"] = all.Where(r => r.Status == 503).Sum(r => r.Accepted),
            ["by_status"] = byStatus,
            ["server_errors_other_than_503"] = otherServerErrors,
            ["unexpected_statuses"] = unexpected,
            ["mismatched_event_ids"] = mismatched,
            ["latency_ms"] = new JsonObject
            {
                ["p50"] = Json.Ms(Json.Quantile(latencies, 0.5)),
                ["p99"] = Json.Ms(Json.Quantile(latencies, 0.99)),
                ["max"] = Json.Ms(Json.Quantile(latencies, 1)),
            },
            // Per second since the start: events sent (by send time), and accepted/failed/rejected (by answer time).
            ["per_second"] = new JsonObject
            {
                ["sent"] = Array(Series(r => r.SendMs, r => r.Events)),
                ["accepted"] = Array(Series(r => r.DoneMs, r => r.Accepted)),
                ["failed"] = Array(Series(r => r.DoneMs, r => r.Failed)),
                ["rejected"] = Array(Series(r => r.DoneMs, r => r.Rejected)),
                ["unanswered"] = Array(Series(r => r.DoneMs, r => r.Status <= 0 ? r.Events : 0)),
            },
        };
    }

    private static async Task PrintEverySecondAsync(Counters counters, Stopwatch schedule, Func<int> inFlight, Func<long> skipped, CancellationToken stop)
    {
        var last = counters.Snapshot();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = counters.Snapshot();
                var d = now.Minus(last);
                last = now;
                Console.Error.WriteLine(
                    $"t={schedule.Elapsed.TotalSeconds,5:F0}s sent={d.Sent,6} accepted={d.Accepted,6} failed={d.Failed,6} rejected={d.Rejected,5} " +
                    $"2xx={d.Ok,4} 503={d.Unavailable,4} other={d.Other,3} timeouts={d.Timeouts,3} errors={d.Errors,3} in_flight={inFlight(),4} skipped={skipped()}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Counters
    {
        public long Sent, Accepted, Failed, Rejected, Ok, Unavailable, Other, Timeouts, Errors;

        public void Add(RequestRecord r)
        {
            Interlocked.Add(ref Accepted, r.Accepted);
            Interlocked.Add(ref Failed, r.Failed);
            Interlocked.Add(ref Rejected, r.Rejected);
            if (r.Status == RequestRecord.Timeout)
            {
                Interlocked.Increment(ref Timeouts);
            }
            else if (r.Status == RequestRecord.Error)
            {
                Interlocked.Increment(ref Errors);
            }
            else if (r.Status is >= 200 and < 300)
            {
                Interlocked.Increment(ref Ok);
            }
            else if (r.Status == 503)
            {
                Interlocked.Increment(ref Unavailable);
            }
            else
            {
                Interlocked.Increment(ref Other);
            }
        }

        public Counters Snapshot() => new()
        {
            Sent = Interlocked.Read(ref Sent), Accepted = Interlocked.Read(ref Accepted), Failed = Interlocked.Read(ref Failed),
            Rejected = Interlocked.Read(ref Rejected), Ok = Interlocked.Read(ref Ok), Unavailable = Interlocked.Read(ref Unavailable),
            Other = Interlocked.Read(ref Other), Timeouts = Interlocked.Read(ref Timeouts), Errors = Interlocked.Read(ref Errors),
        };

        public Counters Minus(Counters b) => new()
        {
            Sent = Sent - b.Sent, Accepted = Accepted - b.Accepted, Failed = Failed - b.Failed, Rejected = Rejected - b.Rejected,
            Ok = Ok - b.Ok, Unavailable = Unavailable - b.Unavailable, Other = Other - b.Other, Timeouts = Timeouts - b.Timeouts, Errors = Errors - b.Errors,
        };
    }
}

static class Verify
{
    public static int Run(Options o)
    {
        var lake = Path.GetFullPath(o.Required("lake"));
        var wait = TimeSpan.FromSeconds(o.Number("wait", 0));
        var settle = TimeSpan.FromSeconds(o.Number("settle", 20));
        var acceptedLines = File.ReadLines(o.Required("accepted")).Where(line => line.Length > 0).ToList();
        var accepted = acceptedLines.ToHashSet(StringComparer.Ordinal);

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var idsByFile = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var lastChange = TimeSpan.Zero;
        Check check;
        while (true)
        {
            var files = CommittedFiles(lake);
            var fresh = files.Where(file => !idsByFile.ContainsKey(file)).ToList();
            if (fresh.Count > 0)
            {
                foreach (var (file, ids) in ReadIds(connection, fresh))
                {
                    idsByFile[file] = ids;
                }

                lastChange = clock.Elapsed;
            }

            check = new Check(accepted, files.Select(file => idsByFile[file]));
            if (check.Missing.Count == 0 || clock.Elapsed >= wait || clock.Elapsed - lastChange >= settle)
            {
                break;
            }

            Thread.Sleep(1000);
        }

        var landed = check.Counts;
        Console.WriteLine(Json.Print(new JsonObject
        {
            ["accepted"] = accepted.Count,
            ["accepted_lines"] = acceptedLines.Count, // more than accepted: the collector accepted an id twice
            ["landed_rows"] = landed.Values.Sum(),
            ["landed_distinct"] = landed.Count,
            ["landed_of_accepted"] = accepted.Count - check.Missing.Count,
            ["missing"] = check.Missing.Count,
            ["missing_sample"] = new JsonArray(check.Missing.Take(5).Select(id => (JsonNode)id).ToArray()),
            // Landed but never answered "accepted": 503'd or timed-out events Kafka kept after all, and the probes.
            ["extra_landed"] = landed.Keys.Count(id => !accepted.Contains(id)),
            ["duplicates"] = landed.Values.Count(n => n > 1), // event ids landed more than once
            ["duplicate_rows"] = landed.Values.Where(n => n > 1).Sum(n => n - 1),
            ["files"] = idsByFile.Count,
            ["waited_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["last_new_file_s"] = Math.Round(lastChange.TotalSeconds, 1),
        }));
        return 0;
    }

    /// <summary>
    /// The committed Parquet files of every event table, as GameAnalytics.Events' TableSnapshot lists them. A visible
    /// name means committed: Streaming writes a batch's files under hidden names, writes the commit record, and only
    /// then renames them into place (LakeCommitter). Reading the files named in _streaming's commit records would not
    /// do: Streaming keeps only a partition's newest 100 records. Compaction, when on, replaces files through its
    /// own records: the files a record removed are left out, and its output only counts once the record exists.
    /// </summary>
    /// <summary>Every event table's snapshot, as a reader of the lake takes it.</summary>
    private static List<string> CommittedFiles(string lake)
    {
        var tables = new LakeTables(new LocalLakeStorage(lake));
        return tables.Names().Where(table => table != TableNames.Rejected).SelectMany(tables.Files).Order(StringComparer.Ordinal).ToList();
    }

    private static Dictionary<string, List<string>> ReadIds(DuckDBConnection connection, List<string> files)
    {
        var ids = files.ToDictionary(file => file, _ => new List<string>(), StringComparer.Ordinal);
        using var query = connection.CreateCommand();
        var list = string.Join(", ", files.Select(file => $"'{file.Replace("'", "''")}'"));
        query.CommandText = $"select filename, event_id from read_parquet([{list}], filename = true, union_by_name = true, hive_partitioning = false)";
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            ids[reader.GetString(0)].Add(reader.GetString(1));
        }

        return ids;
    }

    private sealed class Check
    {
        public Check(HashSet<string> accepted, IEnumerable<List<string>> landedFiles)
        {
            foreach (var id in landedFiles.SelectMany(ids => ids))
            {
                Counts[id] = Counts.GetValueOrDefault(id) + 1;
            }

            Missing = accepted.Where(id => !Counts.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        }

        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public List<string> Missing { get; }
    }
}

static class Timeline
{
    public static int Run(Options o)
    {
        var all = RequestRecord.ReadAll(o.Required("requests")).ToList();
        var down = (long)o.Number("down");
        var up = (long)o.Number("up");
        var termExit = o.Get("term-exit") is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : (long?)null;

        JsonObject Answers(IEnumerable<RequestRecord> records)
        {
            var list = records.ToList();
            var byStatus = new JsonObject();
            foreach (var group in list.GroupBy(r => r.StatusText).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                byStatus[group.Key] = group.Count();
            }

            return new JsonObject
            {
                ["requests"] = list.Count,
                ["by_status"] = byStatus,
                ["accepted"] = list.Sum(r => r.Accepted),
                ["failed"] = list.Sum(r => r.Failed),
                ["unanswered"] = list.Where(r => r.Status <= 0).Sum(r => r.Events),
            };
        }

        // Recovery: the first answer after the broker was back that accepted anything, and from when on every request
        // sent was accepted whole (the send time after the last one that was not).
        var firstAccepted = all.Where(r => r.DoneMs >= up && r.Accepted > 0).Select(r => (long?)r.DoneMs).Min();
        var lastNotAccepted = all.Where(r => r.SendMs >= up && r.Accepted < r.Events).Select(r => (long?)r.SendMs).Max();
        var sentAfterUp = all.Count(r => r.SendMs >= up);
        var result = new JsonObject
        {
            ["down_s"] = Math.Round((up - down) / 1000.0, 2),
            ["before_down"] = Answers(all.Where(r => r.DoneMs < down)),
            // Answered while the broker was down; a 2xx answered over a second after it went down is suspect:
            // a stopped broker acknowledges nothing (a second covers acks already on their way).
            ["while_down"] = Answers(all.Where(r => r.DoneMs >= down && r.DoneMs < up)),
            ["accepted_answered_1s_after_down"] = all.Where(r => r.DoneMs >= down + 1000 && r.DoneMs < up).Sum(r => r.Accepted),
            ["after_up"] = Answers(all.Where(r => r.DoneMs >= up)),
            ["first_accepted_after_up_s"] = firstAccepted is { } f ? Math.Round((f - up) / 1000.0, 2) : null,
            ["all_accepted_from_s"] = sentAfterUp == 0 ? null : lastNotAccepted is { } l ? Math.Round((l - up) / 1000.0 + 0.001, 2) : 0,
            ["requests_sent_after_up"] = sentAfterUp,
        };
        if (termExit is { } exit)
        {
            // A graceful stop: what the clients got between SIGTERM and the broker's exit (it should refuse, not ack).
            result["between_term_and_exit"] = Answers(all.Where(r => r.DoneMs >= down && r.DoneMs < exit));
        }

        Console.WriteLine(Json.Print(result));
        return 0;
    }
}
