using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Api;

/// <summary>Write keys: each game's key lets its requests in, and its name lands as the events' app_id; the key itself lands nowhere.</summary>
[Collection(KafkaCollection.Name)]
public sealed class WriteKeyTests(DevBrokerFixture kafka)
{
    private const string DragonsKey = "dragons-write-key-0123456789";
    private const string ButterfliesKey = "butterflies-write-key-987654";

    [Fact]
    public async Task Without_a_valid_key_nothing_lands_and_the_answer_is_401()
    {
        await using var collector = Collector(allowAnonymous: false);
        using var client = collector.CreateClient();
        var user = $"nokey-{Guid.NewGuid():N}";

        using var none = await client.SendAsync(Post(user, key: null));
        using var wrong = await client.SendAsync(Post(user, key: "not-a-key-of-any-game"));
        using var route = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/slay_a_dragon") { Headers = { Host = $"{user}.example" } });

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, route.StatusCode);
        Assert.Empty(EventsTopic.Read(kafka.BootstrapServers, key => key?.StartsWith(user, StringComparison.Ordinal) == true, expected: 1, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Each_games_key_lands_its_name_as_app_id_by_header_or_query_string()
    {
        await using var collector = Collector(allowAnonymous: false, oneValue: true);
        using var client = collector.CreateClient();
        var dragons = $"dragons-{Guid.NewGuid():N}";
        var butterflies = $"butterflies-{Guid.NewGuid():N}";

        using var byHeader = await client.SendAsync(Post(dragons, DragonsKey));
        // As navigator.sendBeacon sends it: text/plain, the key in the query string.
        using var byQuery = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/events?write_key={ButterfliesKey}")
        {
            Content = new StringContent($$"""{"event_type":"catch_butterfly","user_id":"{{butterflies}}"}""", Encoding.UTF8, "text/plain"),
        });

        Assert.Equal(HttpStatusCode.Accepted, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, byQuery.StatusCode);
        var dragonRecord = Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, dragons, expected: 1));
        var butterflyRecord = Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, butterflies, expected: 1));
        Assert.Equal("dragons", EventEnvelope.FromUtf8Json(dragonRecord.Message.Value)!.AppId);
        Assert.Equal("butterflies", EventEnvelope.FromUtf8Json(butterflyRecord.Message.Value)!.AppId);
        Assert.DoesNotContain(DragonsKey, Encoding.UTF8.GetString(dragonRecord.Message.Value));
        Assert.DoesNotContain(ButterfliesKey, Encoding.UTF8.GetString(butterflyRecord.Message.Value));
    }

    [Fact]
    public async Task Where_anonymous_requests_are_allowed_a_keyless_event_lands_without_app_id()
    {
        await using var collector = Collector(allowAnonymous: true);
        using var client = collector.CreateClient();
        var user = $"anonymous-{Guid.NewGuid():N}";

        using var keyless = await client.SendAsync(Post(user, key: null));
        using var wrong = await client.SendAsync(Post(user, key: "not-a-key-of-any-game"));

        Assert.Equal(HttpStatusCode.Accepted, keyless.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Null(EventEnvelope.FromUtf8Json(Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 1)).Message.Value)!.AppId);
    }

    /// <summary>The keys as a section, or in the one value of name=key pairs that a secret parameter carries.</summary>
    private CollectorFactory Collector(bool allowAnonymous, bool oneValue = false) => new(kafka.BootstrapServers, oneValue
        ? new Dictionary<string, string?>
        {
            ["Collector:AllowAnonymous"] = allowAnonymous ? "true" : "false",
            ["Collector:WriteKeys"] = $"dragons={DragonsKey}; butterflies={ButterfliesKey}",
        }
        : new Dictionary<string, string?>
        {
            ["Collector:AllowAnonymous"] = allowAnonymous ? "true" : "false",
            ["Collector:WriteKeys:dragons"] = DragonsKey,
            ["Collector:WriteKeys:butterflies"] = ButterfliesKey,
        });

    private static HttpRequestMessage Post(string user, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent($$"""{"event_type":"slay_dragon","user_id":"{{user}}"}""", Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }
}
