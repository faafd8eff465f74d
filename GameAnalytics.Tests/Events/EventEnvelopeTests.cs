using System.Text.Json;
using GameAnalytics.Events.Envelope;

namespace GameAnalytics.Tests.Events;

public sealed class EventEnvelopeTests
{
    [Fact]
    public void Is_written_as_the_documented_snake_case_json()
    {
        using var properties = JsonDocument.Parse("""{"sword":"excalibur","price":30}""");
        var envelope = new EventEnvelope
        {
            EventId = Guid.Parse("0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f"),
            EventType = "purchase_sword",
            UserId = "user1.datafun.com",
            ReceivedAt = new DateTimeOffset(2026, 11, 29, 20, 15, 0, 123, TimeSpan.Zero),
            ClientTime = new DateTimeOffset(2026, 11, 29, 20, 14, 59, TimeSpan.Zero),
            Host = "user1.datafun.com",
            UserAgent = "ApacheBench/2.3",
            Accept = "*/*",
            Properties = properties.RootElement,
            Headers = new Dictionary<string, string> { ["x-request-id"] = "abc" },
        };

        using var json = JsonDocument.Parse(envelope.ToUtf8Json());
        var root = json.RootElement;

        Assert.Equal(
            ["schema_version", "event_id", "event_type", "user_id", "received_at", "client_time", "app_id", "host", "user_agent", "accept", "properties", "headers"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f", root.GetProperty("event_id").GetString());
        Assert.Equal("2026-11-29T20:15:00.123+00:00", root.GetProperty("received_at").GetString());
        Assert.Equal("excalibur", root.GetProperty("properties").GetProperty("sword").GetString());
        Assert.Equal("abc", root.GetProperty("headers").GetProperty("x-request-id").GetString());
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        var envelope = new EventEnvelope
        {
            EventId = Guid.CreateVersion7(),
            EventType = "catch_butterfly",
            UserId = "user2.datafun.com",
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        var read = EventEnvelope.FromUtf8Json(envelope.ToUtf8Json());

        Assert.NotNull(read);
        Assert.Equal(envelope.EventId, read.EventId);
        Assert.Equal(envelope.EventType, read.EventType);
        Assert.Equal(envelope.UserId, read.UserId);
        Assert.Equal(envelope.ReceivedAt, read.ReceivedAt);
        Assert.Null(read.ClientTime);
        Assert.Null(read.Properties);
        Assert.Empty(read.Headers);
    }
}
