using System.Collections.Frozen;
using GameAnalytics.Events.Catalog;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Streaming.Routing;

/// <summary>Which table each event type lands in: <c>Streaming:Tables</c>, else the lake's default for the type.</summary>
public sealed class TableRouter
{
    private readonly FrozenDictionary<string, string> _tables;

    public TableRouter(EventCatalog catalog, IReadOnlyDictionary<string, string> configured)
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in catalog.Names)
        {
            tables[type] = configured.TryGetValue(type, out var table) ? table : TableNames.For(type);
        }

        var invalid = tables.Values.Where(table => !EventCatalog.IsValidName(table) || table == TableNames.Rejected).Distinct().ToArray();
        if (invalid.Length > 0)
        {
            throw new ArgumentException($"Table names must be lower snake case and not '{TableNames.Rejected}': {string.Join(", ", invalid)}");
        }

        _tables = tables.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every event table, without <see cref="TableNames.Rejected"/>.</summary>
    public IEnumerable<string> Tables => _tables.Values.Distinct();

    public bool TryRoute(string eventType, out string table) => _tables.TryGetValue(eventType, out table!);
}
