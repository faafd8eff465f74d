using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using GameAnalytics.Client;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Client;

/// <summary>GameAnalytics.Client against the real collector, the dev broker and the stream processor.</summary>
[Collection(KafkaCollection.Name)]
public sealed class GameAnalyticsClientTests(DevBrokerFixture kafka)
{
    [Fact]
    public async Task Ten_thousand_events_tracked_while_the_collector_is_down_for_ten_seconds_land_exactly_once()
    {
        await using var pipeline = await ClientPipeline.StartAsync(kafka.BootstrapServers);
        var failures = new ConcurrentBag<SendFailedEventArgs>();
        await using var client = new GameAnalyticsClient(pipeline.Options());
        client.SendFailed += (_, failed) => failures.Add(failed);

        // Four threads of a game track at once; the collector is not up yet.
        var down = Stopwatch.StartNew();
        var ids = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 2500; i++)
            {
                ids.Add(client.Track("purchase_sword", $"player-{thread}-{i % 50}", new Dictionary<string, object?> { ["sword"] = "excalibur", ["n"] = i }));
            }
        })));
        await Task.Delay(TimeSpan.FromSeconds(10) - down.Elapsed);
        Assert.NotEmpty(failures);
        Assert.All(failures, failed => Assert.Null(failed.Status));

        pipeline.StartCollector();
        await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await pipeline.WaitForRowsAsync("sword_purchases", 10_000);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(10_000, pipeline.Lake.Scalar<long>($"select count(*) from {pipeline.Lake.Table("sword_purchases")}"));
        Assert.Equal(10_000, pipeline.Lake.Scalar<long>($"select count(distinct event_id) from {pipeline.Lake.Table("sword_purchases")}"));
        Assert.Equal(ids.Select(id => id.ToString()).Order(), pipeline.Landed("sword_purchases").Order());
        Assert.Equal(0, client.PendingEvents);
        Assert.Equal(0, client.DroppedEvents);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_every_event_lands_once()
    {
        // 25 events a second after a burst of 50: the second batch of 50 is refused with Retry-After.
        await using var pipeline = await ClientPipeline.StartAsync(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Collector:MaxBatchEvents"] = "50",
            ["Collector:RateLimit:EventsPerSecond"] = "25",
            ["Collector:RateLimit:Burst"] = "50",
        });
        pipeline.StartCollector();
        var requests = new RecordingHandler();
        await using var client = new GameAnalyticsClient(pipeline.Options(options =>
        {
            options.BatchSize = 50;
            options.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
            options.HttpMessageHandler = requests;
        }));

        var ids = Enumerable.Range(0, 150).Select(i => client.Track("catch_butterfly", $"player-{i % 7}")).ToList();
        await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var throttled = requests.Answers.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        foreach (var answer in throttled)
        {
            Assert.NotNull(answer.RetryAfter);
            var next = requests.Answers.First(later => later.SentAt > answer.SentAt);
            Assert.True(next.SentAt - answer.AnsweredAt >= answer.RetryAfter!.Value - TimeSpan.FromMilliseconds(50),
                $"retried {(next.SentAt - answer.AnsweredAt).TotalMilliseconds:0} ms after a 429 that said Retry-After {answer.RetryAfter.Value.TotalSeconds} s");
        }

        await pipeline.WaitForRowsAsync("catch_butterflies", 150);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(ids.Select(id => id.ToString()).Order(), pipeline.Landed("catch_butterflies").Order());
    }

    [Fact]
    public async Task An_event_the_collector_refuses_is_reported_with_its_reason_and_the_rest_of_its_batch_lands()
    {
        await using var pipeline = await ClientPipeline.StartAsync(kafka.BootstrapServers);
        pipeline.StartCollector();
        var rejected = new ConcurrentBag<EventRejectedEventArgs>();
        var delivered = new ConcurrentBag<SentEvent>();
        await using var client = new GameAnalyticsClient(pipeline.Options(options => options.BatchSize = 3));
        client.Rejected += (_, e) => rejected.Add(e);
        client.Delivered += (_, e) => e.Events.ToList().ForEach(delivered.Add);

        var first = client.Track("slay_dragon", "player-1");
        var demon = client.Track("summon_demon", "player-1");
        var last = client.Track("slay_dragon", "player-2");
        await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Alone in its request, an invalid event is a 400 for the whole request: it is reported, not retried.
        var alone = client.Track("summon_demon", "player-3");
        await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new[] { first, last }.Order(), delivered.Select(sent => sent.EventId).Order());
        var inBatch = Assert.Single(rejected, e => e.Event.EventId == demon);
        Assert.Equal(HttpStatusCode.Accepted, inBatch.Status);
        Assert.Contains("Unknown event_type 'summon_demon'", inBatch.Reason, StringComparison.Ordinal);
        var single = Assert.Single(rejected, e => e.Event.EventId == alone);
        Assert.Equal(HttpStatusCode.BadRequest, single.Status);
        Assert.Contains("summon_demon", single.Reason, StringComparison.Ordinal);
        Assert.Equal(0, client.PendingEvents);

        await pipeline.WaitForRowsAsync("slay_dragons", 2);
        Assert.Equal(new[] { first.ToString(), last.ToString() }.Order(), pipeline.Landed("slay_dragons").Order());
    }

    [Fact]
    public async Task A_game_killed_with_events_spooled_leaves_them_to_the_next_client_and_each_lands_once()
    {
        await using var pipeline = await ClientPipeline.StartAsync(kafka.BootstrapServers);
        using var spool = new TempDirectory();

        // gamectl simulate --batch sends through the library: against a collector that is down, its events wait in the spool.
        using var game = SimulateProcess.Start(pipeline.Collector, "--events", "100000", "--batch", "100", "--users", "20", "--connections", "1", "--spool", spool.Path, "--timeout", "30s");
        var folder = Path.Combine(spool.Path, "worker-0");
        await StreamingHost.WaitUntilAsync(() => SpooledIds(folder).Count >= 100, "the game spools its first batch", TimeSpan.FromSeconds(30));
        game.Kill();
        var spooled = SpooledIds(folder);

        pipeline.StartCollector();
        await using (var next = new GameAnalyticsClient(pipeline.Options(options => options.SpoolDirectory = folder)))
        {
            Assert.Equal(spooled.Count, next.PendingEvents);
            await next.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        var tables = new[] { "sword_purchases", "join_guilds", "slay_dragons", "catch_butterflies" };
        await StreamingHost.WaitUntilAsync(() => tables.Sum(table => pipeline.Landed(table).Count) >= spooled.Count, "the spooled events land", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var landed = tables.SelectMany(pipeline.Landed).ToList();
        Assert.Equal(spooled.Order(), landed.Order());
        Assert.Empty(Directory.EnumerateFiles(folder, "*.ndjson"));
    }

    [Fact]
    public async Task When_the_spool_is_full_the_oldest_events_are_dropped_and_counted_and_the_newest_are_sent()
    {
        await using var pipeline = await ClientPipeline.StartAsync(kafka.BootstrapServers);
        using var spool = new TempDirectory();
        var dropped = new ConcurrentBag<EventsDroppedEventArgs>();
        var ids = new List<Guid>();
        await using (var client = new GameAnalyticsClient(pipeline.Options(options =>
        {
            options.SpoolDirectory = spool.Path;
            options.MaxSpoolBytes = 64 * 1024;
            options.DisposeTimeout = TimeSpan.Zero;
        })))
        {
            client.Dropped += (_, e) => dropped.Add(e);
            for (var i = 0; i < 2000; i++)
            {
                ids.Add(client.Track("join_guild", $"player-{i % 10}", new Dictionary<string, object?> { ["guild"] = "knights-of-the-long-table" }));
                if (i % 100 == 99)
                {
                    await Task.Delay(20);
                }
            }

            await StreamingHost.WaitUntilAsync(() => client.DroppedEvents > 0 && client.PendingEvents + client.DroppedEvents == 2000, "the spool drops its oldest", TimeSpan.FromSeconds(30));
            Assert.All(dropped, e => Assert.Equal(DropReason.SpoolFull, e.Reason));
            Assert.Equal(client.DroppedEvents, dropped.Sum(e => e.Count));
        }

        var kept = SpooledIds(spool.Path);
        Assert.InRange(kept.Count, 1, 1999);
        Assert.True(spool.Path.Length > 0 && Directory.EnumerateFiles(spool.Path, "*.ndjson").Sum(file => new FileInfo(file).Length) <= 64 * 1024);
        Assert.Equal(ids.TakeLast(kept.Count).Select(id => id.ToString()), kept);

        // The newest, kept in the folder, go once the collector is there.
        pipeline.StartCollector();
        await using (var next = new GameAnalyticsClient(pipeline.Options(options => options.SpoolDirectory = spool.Path)))
        {
            await next.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        await pipeline.WaitForRowsAsync("join_guilds", kept.Count);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(kept.Order(), pipeline.Landed("join_guilds").Order());
    }

    /// <summary>The event ids in a spool folder, oldest first, as the library wrote them.</summary>
    private static List<string> SpooledIds(string folder) =>
        !Directory.Exists(folder) ? []
        : Directory.EnumerateFiles(folder, "*.ndjson").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines)
            .Select(line => { try { return System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("event_id").GetString(); } catch (System.Text.Json.JsonException) { return null; } })
            .OfType<string>()
            .ToList();

    /// <summary>Records when each request went out and what came back.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public ConcurrentQueue<(DateTimeOffset SentAt, DateTimeOffset AnsweredAt, HttpStatusCode Status, TimeSpan? RetryAfter)> Answers { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = DateTimeOffset.UtcNow;
            var response = await base.SendAsync(request, cancellationToken);
            Answers.Enqueue((sent, DateTimeOffset.UtcNow, response.StatusCode, response.Headers.RetryAfter?.Delta));
            return response;
        }
    }
}
