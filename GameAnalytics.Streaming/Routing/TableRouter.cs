using System.Collections.Frozen;
using System.Text;
using GameAnalytics.Events.Catalog;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Streaming.Routing;

/// <summary>Which table each event type lands in: <c>Streaming:Tables</c>, else the lake's default for the type.</summary>
public sealed class TableRouter
{
    private readonly string[] _tables;
    private readonly FrozenDictionary<string, int> _tableOfType;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _tableOfTypeText;

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

        _tables = [.. tables.Values.Distinct()];
        _tableOfType = tables.ToFrozenDictionary(pair => pair.Key, pair => Array.IndexOf(_tables, pair.Value), StringComparer.Ordinal);
        _tableOfTypeText = _tableOfType.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every event table, without <see cref="TableNames.Rejected"/>.</summary>
    public IReadOnlyList<string> Tables => _tables;

    public bool TryRoute(string eventType, out string table)
    {
        var found = _tableOfType.TryGetValue(eventType, out var index);
        table = found ? _tables[index] : "";
        return found;
    }

    /// <param name="table">An index into <see cref="Tables"/>.</param>
    public bool TryRoute(ReadOnlySpan<byte> utf8EventType, out int table)
    {
        table = -1;
        if (utf8EventType.Length > EventCatalog.MaxNameLength)
        {
            return false;
        }

        // Catalog names are ASCII, so a name's UTF-16 is as long as its UTF-8.
        Span<char> text = stackalloc char[EventCatalog.MaxNameLength];
        return Encoding.UTF8.TryGetChars(utf8EventType, text, out var length)
            && _tableOfTypeText.TryGetValue(text[..length], out table);
    }
}
