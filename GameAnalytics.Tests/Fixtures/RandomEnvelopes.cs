using System.Text.Json;
using GameAnalytics.Events.Catalog;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Streaming.Routing;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>Envelopes as the collector writes them, with every optional field present or not, and texts to trip a writer.</summary>
internal static class RandomEnvelopes
{
    /// <summary>The built-in types and one a game declares.</summary>
    public static TableRouter Router { get; } = new(EventCatalog.FromOptions(new EventCatalogOptions { Types = { ["open_chest"] = "A chest" } }), new Dictionary<string, string>());

    private static readonly string[] Types = ["purchase_sword", "join_guild", "slay_dragon", "catch_butterfly", "open_chest"];

    private static readonly string[] Texts = ["user1.datafun.com", "", "ApacheBench/2.3", "text/html,application/xhtml+xml", "Zoë <&> 'quoted' \"double\"", "日本語のプレイヤー", "emoji 🐉🦋", "tab\tnew\nline\\"];

    public static EventEnvelope Next(Random random)
    {
        string? Maybe(string[] values) => random.Next(4) == 0 ? null : values[random.Next(values.Length)];
        JsonElement? properties = random.Next(3) switch
        {
            0 => null,
            1 => JsonDocument.Parse("""{ "sword": "excalibur", "price": 30, "tags": ["a", {"b": null}], "note": "Zoë \u00e9 \ud83d\udc09" }""").RootElement,
            _ => JsonDocument.Parse("""{}""").RootElement,
        };
        return new EventEnvelope
        {
            EventId = Guid.CreateVersion7(),
            EventType = Types[random.Next(Types.Length)],
            UserId = Texts[random.Next(Texts.Length)] is { Length: > 0 } user ? user : "u",
            ReceivedAt = new DateTimeOffset(2026, 11, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 2)),
            ClientTime = random.Next(2) == 0 ? null : new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.FromHours(random.Next(-12, 13))).AddMilliseconds(random.Next(100_000)),
            AppId = Maybe(["game-a", "spiel-ö"]),
            Host = Maybe(Texts),
            UserAgent = Maybe(Texts),
            Accept = Maybe(Texts),
            Properties = properties,
            Headers = random.Next(2) == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["x-request-id"] = "abc", ["x-note"] = Texts[random.Next(Texts.Length)] },
        };
    }
}
