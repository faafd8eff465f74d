using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GameAnalytics.Contracts;

static partial class Load
{
    private static readonly string[] Types = [EventTypes.PurchaseSword, EventTypes.JoinGuild, EventTypes.SlayDragon, EventTypes.CatchButterfly];

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
}
