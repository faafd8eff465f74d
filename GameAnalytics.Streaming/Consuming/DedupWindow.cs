namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// The last events a partition landed, so that a client's retry of an event is landed once. An event is its player's
/// <c>event_id</c>: two players whose clients chose the same id are two events. Each entry is the id as a Guid and
/// 64-bit hashes of the player and the type, not strings.
/// </summary>
internal sealed class DedupWindow(int capacity)
{
    private readonly Dictionary<(Guid EventId, ulong User), ulong> _types = [];
    private readonly Queue<(Guid EventId, ulong User)> _order = new();

    public int Count => _types.Count;

    public DedupResult TryAdd(Guid eventId, string userId, string eventType)
    {
        if (capacity <= 0)
        {
            return DedupResult.New;
        }

        var key = (eventId, Hash(userId));
        var type = Hash(eventType);
        if (_types.TryGetValue(key, out var landedType))
        {
            // The same player's id on another type of event is a client bug, not a retry: keep it, and say so.
            return landedType == type ? DedupResult.Duplicate : DedupResult.ReusedForAnotherType;
        }

        _types.Add(key, type);
        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _types.Remove(_order.Dequeue());
        }

        return DedupResult.New;
    }

    /// <summary>FNV-1a over the UTF-16 text: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var character in text)
        {
            hash = (hash ^ character) * 1099511628211UL;
        }

        return hash;
    }
}

internal enum DedupResult
{
    New,

    /// <summary>A retry of an event already landed or in this batch: only its offset counts.</summary>
    Duplicate,

    /// <summary>The player's id was landed before with another event type; this event is landed too.</summary>
    ReusedForAnotherType,
}
