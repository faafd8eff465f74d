using System.Collections.Frozen;
using GameAnalytics.Events.Catalog;

namespace GameAnalytics.Streaming.Routing;

/// <summary>Which table each event type lands in; the original design's names by default.</summary>
public sealed class TableRouter
{
    public const string RejectedTable = "rejected_events";

    public static IReadOnlyDictionary<string, string> DefaultTables { get; } = new Dictionary<string, string>
    {
        [EventTypes.PurchaseSword] = "sword_purchases",
        [EventTypes.JoinGuild] = "join_guilds",
        [EventTypes.SlayDragon] = "slay_dragons",
        [EventTypes.CatchButterfly] = "catch_butterflies",
        [EventTypes.Default] = "default_hits",
    };

    private readonly FrozenDictionary<string, string> _tables;

    public TableRouter(EventCatalog catalog, IReadOnlyDictionary<string, string> configured)
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in catalog.Names)
        {
            tables[type] = configured.TryGetValue(type, out var table) ? table
                : DefaultTables.TryGetValue(type, out var original) ? original
                : type;
        }

        var invalid = tables.Values.Where(table => !EventCatalog.IsValidName(table) || table == RejectedTable).Distinct().ToArray();
        if (invalid.Length > 0)
        {
            throw new ArgumentException($"Table names must be lower snake case and not '{RejectedTable}': {string.Join(", ", invalid)}");
        }

        _tables = tables.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every event table, without <see cref="RejectedTable"/>.</summary>
    public IEnumerable<string> Tables => _tables.Values.Distinct();

    public bool TryRoute(string eventType, out string table) => _tables.TryGetValue(eventType, out table!);
}
