namespace GameAnalytics.Contracts;

/// <summary>One route of the original game API: a GET records one event of its type for the user named by the Host header.</summary>
/// <param name="Path">From the collector's root, e.g. <c>/purchase_a_sword</c>.</param>
/// <param name="Response">The original's answer text.</param>
public sealed record OriginalRoute(string Path, string EventType, string Response)
{
    /// <summary>The route's name as the simulator's command line spells it: the path without its slash, <c>default</c> for <c>/</c>.</summary>
    public string Name => Path == "/" ? EventType : Path.Substring(1);
}

public static class OriginalRoutes
{
    public static readonly OriginalRoute Default = new("/", EventTypes.Default, "This is the default response!\n");
    public static readonly OriginalRoute PurchaseSword = new("/purchase_a_sword", EventTypes.PurchaseSword, "Sword Purchased!\n");
    public static readonly OriginalRoute JoinGuild = new("/join_guild", EventTypes.JoinGuild, "Guild Joined!\n");
    public static readonly OriginalRoute SlayDragon = new("/slay_a_dragon", EventTypes.SlayDragon, "Dragon Slayed!\n");
    public static readonly OriginalRoute CatchButterfly = new("/catch_a_butterfly", EventTypes.CatchButterfly, "Butterfly Captured!\n");

    public static IReadOnlyList<OriginalRoute> All { get; } = [Default, PurchaseSword, JoinGuild, SlayDragon, CatchButterfly];
}
