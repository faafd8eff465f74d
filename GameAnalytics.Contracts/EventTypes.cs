namespace GameAnalytics.Contracts;

/// <summary>The event types of the original game API, always in the catalog.</summary>
public static class EventTypes
{
    public const string Default = "default";
    public const string PurchaseSword = "purchase_sword";
    public const string JoinGuild = "join_guild";
    public const string SlayDragon = "slay_dragon";
    public const string CatchButterfly = "catch_butterfly";

    public static IReadOnlyDictionary<string, string> BuiltIn { get; } = new Dictionary<string, string>
    {
        [Default] = "A hit on the game's home route",
        [PurchaseSword] = "A player buys a sword",
        [JoinGuild] = "A player joins a guild",
        [SlayDragon] = "A player slays a dragon",
        [CatchButterfly] = "A player catches a butterfly",
    };
}
