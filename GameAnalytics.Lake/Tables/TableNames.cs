using GameAnalytics.Contracts;

namespace GameAnalytics.Lake.Tables;

/// <summary>The lake's table names: the original design's for its event types, and the table of rejected records.</summary>
public static class TableNames
{
    public const string SwordPurchases = "sword_purchases";
    public const string JoinGuilds = "join_guilds";
    public const string SlayDragons = "slay_dragons";
    public const string CatchButterflies = "catch_butterflies";
    public const string DefaultHits = "default_hits";

    /// <summary>Records that were not valid events, with their raw bytes and the reason.</summary>
    public const string Rejected = "rejected_events";

    /// <summary>Where each built-in event type lands unless configured otherwise; any other type lands in a table of its name.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        [EventTypes.PurchaseSword] = SwordPurchases,
        [EventTypes.JoinGuild] = JoinGuilds,
        [EventTypes.SlayDragon] = SlayDragons,
        [EventTypes.CatchButterfly] = CatchButterflies,
        [EventTypes.Default] = DefaultHits,
    };

    /// <summary>The default table of an event type.</summary>
    public static string For(string eventType) => Defaults.TryGetValue(eventType, out var table) ? table : eventType;
}
