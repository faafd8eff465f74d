using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GameAnalytics.DevBroker.Broker;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Api;

/// <summary>No 2xx unless Kafka acknowledged: an unreachable or stopped broker, or a collector at capacity, gives 503 with Retry-After.</summary>
public sealed class BrokerUnavailableTests
{
    private static readonly Dictionary<string, string?> ShortTimeout = new()
    {
        ["Kafka:DeliveryTimeout"] = "00:00:01.500",
        ["Collector:RetryAfter"] = "00:00:07",
    };

    [Fact]
    public async Task An_unreachable_broker_gives_503_with_retry_after_for_every_request()
    {
        await using var collector = new CollectorFactory($"127.0.0.1:{FreePort()}", ShortTimeout);
        using var client = collector.CreateClient();

        var responses = await Task.WhenAll(
            client.GetAsync("/purchase_a_sword"),
            client.GetAsync("/join_guild"),
            client.PostAsync("/v1/events", Json("""[{"event_type":"slay_dragon","user_id":"a"},{"event_type":"catch_butterfly","user_id":"b"}]""")));

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var batch = await responses[2].Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Kafka did not acknowledge 2 of 2", batch.GetProperty("detail").GetString());
        Assert.All(batch.GetProperty("results").EnumerateArray(), result => Assert.Equal("failed", result.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_broker_that_stops_turns_2xx_into_503()
    {
        var broker = DevKafkaBroker.Start(new DevBrokerOptions { Port = 0 });
        await using (broker)
        {
            await using var collector = new CollectorFactory(broker.BootstrapServers, ShortTimeout);
            using var client = collector.CreateClient();
            // On a busy machine the first event can outlast the short delivery timeout while the producer connects
            // (a right 503): what this test needs is a collector that was answering 200 before the broker stopped.
            HttpStatusCode healthy;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                using var answer = await client.GetAsync("/slay_a_dragon");
                healthy = answer.StatusCode;
            }
            while (healthy != HttpStatusCode.OK && DateTime.UtcNow < deadline);
            Assert.Equal(HttpStatusCode.OK, healthy);

            await broker.DisposeAsync();

            using var stopped = await client.GetAsync("/slay_a_dragon");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
    }

    [Fact]
    public async Task Past_the_concurrency_limit_a_request_gets_503_at_once()
    {
        await using var collector = new CollectorFactory($"127.0.0.1:{FreePort()}", new Dictionary<string, string?>(ShortTimeout)
        {
            ["Collector:MaxConcurrentRequests"] = "1",
        });
        using var client = collector.CreateClient();

        // The first waits for a broker that never answers; the second finds no room and is answered before it.
        var waiting = client.GetAsync("/purchase_a_sword");
        await Task.Delay(300);
        using var refused = await client.GetAsync("/join_guild");
        Assert.False(waiting.IsCompleted);
        using var first = await waiting;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("1 requests at once", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
    }

    [Fact]
    public async Task A_full_producer_queue_fails_the_events_that_do_not_fit_at_once_with_per_event_results()
    {
        await using var collector = new CollectorFactory($"127.0.0.1:{FreePort()}", new Dictionary<string, string?>(ShortTimeout)
        {
            ["Kafka:Producer:queue.buffering.max.messages"] = "5",
        });
        using var client = collector.CreateClient();

        var filling = client.PostAsync("/v1/events", Json(Batch(8)));
        await Task.Delay(300);
        using var full = await client.PostAsync("/v1/events", Json(Batch(3)));
        Assert.False(filling.IsCompleted);
        using var filled = await filling;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), full.Headers.RetryAfter?.Delta);
        var refused = await full.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(refused.GetProperty("results").EnumerateArray(), result =>
        {
            Assert.Equal("failed", result.GetProperty("status").GetString());
            Assert.Contains("Queue full", result.GetProperty("reason").GetString());
        });

        // Of the first batch, five were queued and timed out; the other three did not fit.
        var results = (await filled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(8, results.Length);
        Assert.All(results, result => Assert.Equal("failed", result.GetProperty("status").GetString()));
        Assert.Equal(3, results.Count(result => result.GetProperty("reason").GetString()!.Contains("Queue full")));
    }

    private static string Batch(int events) =>
        "[" + string.Join(",", Enumerable.Range(0, events).Select(i => $$"""{"event_type":"slay_dragon","user_id":"queue-{{i}}"}""")) + "]";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
