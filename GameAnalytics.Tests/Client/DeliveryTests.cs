using System.Net;
using System.Text;
using System.Text.Json;
using GameAnalytics.Client;
using GameAnalytics.Client.Delivery;
using GameAnalytics.Contracts;

namespace GameAnalytics.Tests.Client;

/// <summary>The library's answers to what the collector can say, where the real collector cannot easily be made to say it.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public async Task Of_a_503_with_per_event_results_only_the_failed_events_are_sent_again()
    {
        var bodies = new List<JsonElement>();
        var handler = new AnsweringHandler(async (request, _) =>
        {
            var sent = JsonDocument.Parse(await request.Content!.ReadAsStringAsync()).RootElement.Clone();
            bodies.Add(sent);
            if (bodies.Count > 1)
            {
                return Json(HttpStatusCode.Accepted, new { accepted = sent.GetArrayLength(), rejected = 0, results = Array.Empty<object>() });
            }

            // As the collector answers when Kafka stored some of a batch: 503, problem details, a result per event.
            var response = Json(HttpStatusCode.ServiceUnavailable, new
            {
                title = "Events could not be stored",
                status = 503,
                detail = "Kafka did not acknowledge 1 of 2 valid events (Broker: Not enough in-sync replicas). Retry them with the same event_id.",
                results = new[]
                {
                    new EventResult(0, EventStatus.Accepted, Guid.NewGuid(), null),
                    new EventResult(1, EventStatus.Failed, Guid.NewGuid(), "Kafka did not acknowledge the event"),
                    new EventResult(2, EventStatus.Rejected, null, "Unknown event_type 'summon_demon'."),
                },
            });
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMilliseconds(100));
            return response;
        });
        var delivered = new List<Guid>();
        var rejected = new List<EventRejectedEventArgs>();
        var failed = new List<SendFailedEventArgs>();
        await using var client = new GameAnalyticsClient(new GameAnalyticsClientOptions
        {
            CollectorUri = new Uri("http://collector.test"),
            BatchSize = 3,
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
            HttpMessageHandler = handler,
        });
        client.Delivered += (_, e) => delivered.AddRange(e.Events.Select(sent => sent.EventId));
        client.Rejected += (_, e) => rejected.Add(e);
        client.SendFailed += (_, e) => failed.Add(e);

        var ids = new[] { client.Track("slay_dragon", "p1"), client.Track("slay_dragon", "p2"), client.Track("summon_demon", "p3") };
        await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, bodies.Count);
        var resent = Assert.Single(bodies[1].EnumerateArray());
        Assert.Equal(ids[1].ToString(), resent.GetProperty("event_id").GetString());
        Assert.Equal(bodies[0][1].GetRawText(), resent.GetRawText());
        Assert.Equal([ids[0], ids[1]], delivered);
        Assert.Equal(ids[2], Assert.Single(rejected).Event.EventId);
        var failure = Assert.Single(failed);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.Status);
        Assert.True(failure.RetryIn >= TimeSpan.FromMilliseconds(100), $"retried after {failure.RetryIn}");
    }

    [Fact]
    public async Task Events_tracked_while_a_request_hangs_reach_the_spool_folder_and_outlive_the_game()
    {
        using var spool = new GameAnalytics.Tests.Fixtures.TempDirectory();
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = new AnsweringHandler(async (_, cancellationToken) =>
        {
            requested.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        var options = new GameAnalyticsClientOptions
        {
            CollectorUri = new Uri("http://collector.test"),
            BatchSize = 5,
            FlushInterval = TimeSpan.FromHours(1),
            RequestTimeout = TimeSpan.FromMinutes(1),
            DisposeTimeout = TimeSpan.Zero,
            SpoolDirectory = spool.Path,
            HttpMessageHandler = hanging,
        };
        var game = new GameAnalyticsClient(options);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        // The first event after a pause is on disk at once, not at the flush interval (an hour here).
        game.Track("catch_butterfly", "p");
        await GameAnalytics.Tests.Fixtures.StreamingHost.WaitUntilAsync(() => SpooledLines(spool.Path) == 1, "the first event reaches the folder", TimeSpan.FromSeconds(5));

        // A full batch goes; its request hangs, and what the game tracks meanwhile still reaches the folder.
        for (var i = 0; i < 4; i++)
        {
            game.Track("catch_butterfly", "p");
        }

        await requested.Task.WaitAsync(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 3; i++)
        {
            game.Track("catch_butterfly", "p");
        }

        await GameAnalytics.Tests.Fixtures.StreamingHost.WaitUntilAsync(() => SpooledLines(spool.Path) == 8, "events tracked during the request reach the folder", TimeSpan.FromSeconds(5));
        await game.DisposeAsync();

        await using var next = new GameAnalyticsClient(options);
        Assert.Equal(8, next.PendingEvents);
    }

    [Fact]
    public async Task A_flush_that_follows_the_previous_one_at_once_is_never_missed()
    {
        // A game (or gamectl) that tracks and flushes the moment its last flush completed, while the sender is still
        // turning: a wake-up lost between settling and sleeping, or a flush request read after the queue was moved,
        // would hold the flush for the whole flush interval.
        var handler = new AnsweringHandler(async (request, _) =>
        {
            var sent = JsonDocument.Parse(await request.Content!.ReadAsStringAsync()).RootElement;
            return Json(HttpStatusCode.Accepted, new { accepted = sent.GetArrayLength(), rejected = 0, results = Array.Empty<object>() });
        });
        // Games on every core make those narrow windows likelier to be hit.
        await Task.WhenAll(Enumerable.Range(0, 2 * Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            await using var client = new GameAnalyticsClient(new GameAnalyticsClientOptions
            {
                CollectorUri = new Uri("http://collector.test"),
                BatchSize = 4,
                FlushInterval = TimeSpan.FromHours(1),
                HttpMessageHandler = handler,
            });

            for (var round = 0; round < 1_000; round++)
            {
                // Part of a batch (sealed by the flush alone), a full one, and one and a bit.
                for (var i = 0; i < round % 6 + 1; i++)
                {
                    client.Track("catch_butterfly", "p1");
                }

                var flush = client.FlushAsync();
                Assert.True(await Task.WhenAny(flush, Task.Delay(TimeSpan.FromSeconds(10))) == flush, $"flush {round} still waits after 10 s with {client.PendingEvents} events pending");
            }

            Assert.Equal(0, client.PendingEvents);
        })));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_up_to_its_cap_and_never_undercuts_retry_after()
    {
        var delays = new RetryDelays(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = Math.Min(60, Math.Pow(2, attempt - 1));
            var seen = Enumerable.Range(0, 200).Select(_ => delays.Next(attempt, null).TotalSeconds).ToList();
            Assert.All(seen, delay => Assert.InRange(delay, ceiling / 2, ceiling));
            Assert.True(seen.Max() - seen.Min() > ceiling / 10, "jitter spreads the retries");
        }

        Assert.All(Enumerable.Range(0, 200), _ => Assert.True(delays.Next(1, TimeSpan.FromSeconds(30)) >= TimeSpan.FromSeconds(30)));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), Encoding.UTF8, "application/json"),
    };

    private static int SpooledLines(string folder) =>
        Directory.EnumerateFiles(folder, "*.ndjson").Sum(file => File.ReadAllLines(file).Length);

    private sealed class AnsweringHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request, cancellationToken);
    }
}
