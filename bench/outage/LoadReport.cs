using System.Diagnostics;
using System.Text.Json.Nodes;

// The load's summary and its line per second.
static partial class Load
{
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
