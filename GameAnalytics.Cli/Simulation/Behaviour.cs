using System.Text.Json;
using GameAnalytics.Contracts;

namespace GameAnalytics.Cli.Simulation;

/// <summary>One thing a player does: the original route that records it and the event type it lands as.</summary>
internal sealed class Behaviour
{
    public static readonly Behaviour PurchaseSword = new(0, OriginalRoutes.PurchaseSword);
    public static readonly Behaviour JoinGuild = new(1, OriginalRoutes.JoinGuild);
    public static readonly Behaviour SlayDragon = new(2, OriginalRoutes.SlayDragon);
    public static readonly Behaviour CatchButterfly = new(3, OriginalRoutes.CatchButterfly);

    // The original's "/" route: not part of its traffic, but a mix may ask for it.
    public static readonly Behaviour Default = new(4, OriginalRoutes.Default);

    public static readonly IReadOnlyList<Behaviour> All = [PurchaseSword, JoinGuild, SlayDragon, CatchButterfly, Default];

    private Behaviour(int index, OriginalRoute route)
    {
        Index = index;
        Name = route.Name;
        EventType = route.EventType;
        Route = route.Path.TrimStart('/');
        EncodedEventType = JsonEncodedText.Encode(route.EventType);
    }

    /// <summary>A dense index, so that counters per behaviour are arrays rather than dictionaries.</summary>
    public int Index { get; }

    /// <summary>The name on the command line: the original route's name.</summary>
    public string Name { get; }

    public string EventType { get; }

    /// <summary>The original route, relative to the collector's base address.</summary>
    public string Route { get; }

    public JsonEncodedText EncodedEventType { get; }

    /// <summary>Finds a behaviour by its route name or its event type, so that both spellings work in a mix.</summary>
    public static Behaviour? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(b.EventType, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}
