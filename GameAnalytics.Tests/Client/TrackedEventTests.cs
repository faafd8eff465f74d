using System.Text.Json;
using GameAnalytics.Client.Tracking;
using GameAnalytics.Contracts;

namespace GameAnalytics.Tests.Client;

/// <summary>The JSON each tracked event is written as, read back through the collector's contract type.</summary>
public sealed class TrackedEventTests
{
    private static readonly JsonSerializerOptions Contract = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public void An_event_reads_back_as_the_collectors_IngestEvent_with_every_value()
    {
        var now = new DateTimeOffset(2026, 12, 5, 11, 30, 15, 123, TimeSpan.Zero);
        var properties = new Dictionary<string, object?>
        {
            ["sword"] = "Excalibur \"the\" ✓ 🗡",
            ["price"] = 30,
            ["rare"] = true,
            ["none"] = null,
            ["stats"] = new Dictionary<string, object?> { ["attack"] = 12.5, ["tags"] = new[] { "a", "b" } },
        };

        var tracked = TrackedEvent.Create("purchase_sword", "player-é", properties, now);
        var read = JsonSerializer.Deserialize<IngestEvent>(tracked.Json, Contract)!;

        Assert.Equal("purchase_sword", read.EventType);
        Assert.Equal("player-é", read.UserId);
        Assert.Equal(tracked.Id.ToString(), read.EventId);
        Assert.Equal(now, read.ClientTime);
        Assert.Equal(JsonSerializer.Serialize(properties), JsonSerializer.Serialize(read.Properties));
        Assert.DoesNotContain((byte)'\n', tracked.Json);
        Assert.Equal(tracked.Id, TrackedEvent.Parse(tracked.Json)!.Id);
    }

    [Fact]
    public void Properties_that_are_no_json_are_refused_at_track_time_and_the_next_event_is_whole()
    {
        var cycle = new Dictionary<string, object?>();
        cycle["self"] = cycle;

        Assert.Throws<ArgumentException>(() => TrackedEvent.Create("join_guild", "p", cycle, DateTimeOffset.UtcNow));
        var next = TrackedEvent.Create("join_guild", null, null, DateTimeOffset.UtcNow);

        var read = JsonSerializer.Deserialize<IngestEvent>(next.Json, Contract)!;
        Assert.Equal("join_guild", read.EventType);
        Assert.Null(read.UserId);
        Assert.Null(read.Properties);
    }
}
