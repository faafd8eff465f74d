using System.Collections.Frozen;
using GameAnalytics.Contracts;

namespace GameAnalytics.Events.Catalog;

/// <summary>The validated set of event types this deployment accepts.</summary>
public sealed class EventCatalog
{
    public const int MaxNameLength = 64;

    private readonly FrozenSet<string> _names;

    public EventCatalog(IEnumerable<string> names)
    {
        var all = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var invalid = all.FirstOrDefault(name => !IsValidName(name));
        if (invalid is not null)
        {
            throw new ArgumentException($"'{invalid}' is not a valid event type name: use lower snake case, at most {MaxNameLength} characters.", nameof(names));
        }

        Names = all;
        _names = all.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The built-in types of the original game plus those the configuration declares.</summary>
    public static EventCatalog FromOptions(EventCatalogOptions options) =>
        new(EventTypes.BuiltIn.Keys.Concat(options.Types.Keys));

    /// <summary>All accepted names, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(string eventType) => _names.Contains(eventType);

    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
