using System.Buffers;
using System.Text;

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

    public DedupResult TryAdd(Guid eventId, string userId, string eventType) =>
        TryAdd(eventId, Hash(userId), Hash(eventType));

    /// <param name="userId">UTF-8.</param>
    /// <param name="eventType">UTF-8.</param>
    public DedupResult TryAdd(Guid eventId, ReadOnlySpan<byte> userId, ReadOnlySpan<byte> eventType) =>
        TryAdd(eventId, Hash(userId), Hash(eventType));

    private DedupResult TryAdd(Guid eventId, ulong user, ulong type)
    {
        if (capacity <= 0)
        {
            return DedupResult.New;
        }

        var key = (eventId, user);
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

    private static ulong Hash(string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> utf8 = rented is null ? stackalloc byte[512] : rented;
        var hash = Hash(utf8[..Encoding.UTF8.GetBytes(text, utf8)]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>FNV-1a over the UTF-8 text: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 1099511628211UL;
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
