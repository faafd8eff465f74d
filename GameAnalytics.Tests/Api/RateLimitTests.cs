using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace GameAnalytics.Tests.Api;

/// <summary>Each key's events per second: a batch takes one token per event, and over the limit nothing lands.</summary>
[Collection(KafkaCollection.Name)]
public sealed class RateLimitTests(DevBrokerFixture kafka)
{
    private const string DragonsKey = "dragons-rate-key-0123456789";
    private const string ButterfliesKey = "butterflies-rate-key-98765";

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        await using var collector = new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Collector:AllowAnonymous"] = "false",
            ["Collector:WriteKeys:ratedragons"] = DragonsKey,
            ["Collector:WriteKeys:ratebutterflies"] = ButterfliesKey,
            ["Collector:MaxBatchEvents"] = "10",
            ["Collector:RateLimit:EventsPerSecond"] = "10",
            ["Collector:RateLimit:Burst"] = "10",
        });
        using var throttled = new ThrottledEvents(collector.Services.GetRequiredService<IMeterFactory>());
        using var client = collector.CreateClient();
        var first = $"rate-first-{Guid.NewGuid():N}";
        var refused = $"rate-refused-{Guid.NewGuid():N}";
        var other = $"rate-other-{Guid.NewGuid():N}";
        var later = $"rate-later-{Guid.NewGuid():N}";
        // The producer's first connection is slow; made with the other game's key, it leaves the dragons' bucket full.
        using var warmUp = await client.SendAsync(Batch(other, 1, ButterfliesKey));

        using var full = await client.SendAsync(Batch(first, 10, DragonsKey));
        using var over = await client.SendAsync(Batch(refused, 10, DragonsKey));
        using var otherGame = await client.SendAsync(Batch(other, 5, ButterfliesKey));

        Assert.Equal(HttpStatusCode.Accepted, full.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
        var retryAfter = over.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Contains("10 events per second", (await over.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Accepted, otherGame.StatusCode);
        Assert.Equal(10, throttled.For("ratedragons"));
        Assert.Equal(0, throttled.For("ratebutterflies"));

        // The bucket refills at the configured rate: after Retry-After the same batch fits again.
        await Task.Delay(retryAfter.Value);
        using var afterWaiting = await client.SendAsync(Batch(later, 10, DragonsKey));
        Assert.Equal(HttpStatusCode.Accepted, afterWaiting.StatusCode);

        Assert.Equal(10, EventsTopic.ReadByKey(kafka.BootstrapServers, first, expected: 10).Count);
        Assert.Equal(10, EventsTopic.ReadByKey(kafka.BootstrapServers, later, expected: 10).Count);
        Assert.Empty(EventsTopic.ReadByKey(kafka.BootstrapServers, refused, expected: 1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Anonymous_requests_on_the_original_routes_are_limited_per_address()
    {
        await using var collector = new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Collector:MaxBatchEvents"] = "2",
            ["Collector:RateLimit:EventsPerSecond"] = "1",
            ["Collector:RateLimit:Burst"] = "2",
        });
        using var client = collector.CreateClient();
        var user = $"rate-route-{Guid.NewGuid():N}";

        // At once, so that no token is refilled between them.
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/slay_a_dragon") { Headers = { Host = $"{user}.datafun.com" } })));
        var statuses = responses.Select(response => response.StatusCode).Order().ToArray();
        Array.ForEach(responses, response => response.Dispose());

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, EventsTopic.ReadByKey(kafka.BootstrapServers, $"{user}.datafun.com", expected: 3, TimeSpan.FromSeconds(4)).Count);
    }

    private static HttpRequestMessage Batch(string user, int events, string key)
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, events).Select(_ => $$"""{"event_type":"slay_dragon","user_id":"{{user}}"}""")) + "]";
        return new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };
    }

    /// <summary>The collector's throttled-events counter, by app_id, from this collector's meters only.</summary>
    private sealed class ThrottledEvents : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _byApp = [];

        public ThrottledEvents(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "gameanalytics.collector.events.throttled")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "app_id" && tag.Value is string app)
                    {
                        lock (_byApp)
                        {
                            _byApp[app] = _byApp.GetValueOrDefault(app) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public long For(string app)
        {
            lock (_byApp)
            {
                return _byApp.GetValueOrDefault(app);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
