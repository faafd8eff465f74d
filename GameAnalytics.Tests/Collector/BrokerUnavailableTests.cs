using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GameAnalytics.DevBroker.Broker;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Collector;

/// <summary>No 2xx unless Kafka acknowledged: an unreachable or stopped broker gives 503 with Retry-After.</summary>
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
            using var healthy = await client.GetAsync("/slay_a_dragon");
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

            await broker.DisposeAsync();

            using var stopped = await client.GetAsync("/slay_a_dragon");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
