using System.Buffers;
using System.Numerics;
using System.Text;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// The last events a partition landed, so that a client's retry of an event is landed once. An event is its player's
/// <c>event_id</c>: two players whose clients chose the same id are two events. Each entry is the id as a Guid and
/// 32-bit hashes of the player and the type, 24 bytes in a ring in landing order, found through an open-addressing
/// index of ints: a third of the memory of a dictionary and a queue, which were a fifth of the processor's.
/// </summary>
internal sealed class DedupWindow(int capacity)
{
    private const int InitialEntries = 1024;

    private Entry[] _ring = [];
    private int[] _slots = []; // ring index + 1; 0 is an empty slot
    private int _mask;
    private int _oldest; // once the ring is full, the entry the next one replaces

    public int Count { get; private set; }

    public DedupResult TryAdd(Guid eventId, string userId, string eventType) =>
        TryAdd(eventId, Hash(userId), Hash(eventType));

    /// <param name="userId">UTF-8.</param>
    /// <param name="eventType">UTF-8.</param>
    public DedupResult TryAdd(Guid eventId, ReadOnlySpan<byte> userId, ReadOnlySpan<byte> eventType) =>
        TryAdd(eventId, Hash(userId), Hash(eventType));

    private DedupResult TryAdd(Guid eventId, uint user, uint type)
    {
        if (capacity <= 0)
        {
            return DedupResult.New;
        }

        var slot = Find(eventId, user);
        if (_slots.Length > 0 && _slots[slot] != 0)
        {
            // The same player's id on another type of event is a client bug, not a retry: keep it, and say so.
            return _ring[_slots[slot] - 1].Type == type ? DedupResult.Duplicate : DedupResult.ReusedForAnotherType;
        }

        int index;
        if (Count < _ring.Length)
        {
            index = Count++;
        }
        else if (_ring.Length < capacity)
        {
            Grow();
            index = Count++;
        }
        else
        {
            index = _oldest;
            _oldest = (_oldest + 1) % _ring.Length;
            Remove(_ring[index], index);
        }

        _ring[index] = new Entry(eventId, user, type);
        _slots[Find(eventId, user)] = index + 1;
        return DedupResult.New;
    }

    /// <returns>The slot that holds the event, or the empty slot where it would go.</returns>
    private int Find(Guid eventId, uint user)
    {
        if (_slots.Length == 0)
        {
            return 0;
        }

        var slot = Home(eventId, user);
        while (_slots[slot] != 0 && !_ring[_slots[slot] - 1].Is(eventId, user))
        {
            slot = (slot + 1) & _mask;
        }

        return slot;
    }

    /// <summary>Empties the entry's slot and moves later entries of its probe run back, so that every entry stays findable.</summary>
    private void Remove(in Entry entry, int index)
    {
        var hole = Home(entry.EventId, entry.User);
        while (_slots[hole] != index + 1)
        {
            hole = (hole + 1) & _mask;
        }

        for (var next = (hole + 1) & _mask; _slots[next] != 0; next = (next + 1) & _mask)
        {
            var moved = _ring[_slots[next] - 1];
            var home = Home(moved.EventId, moved.User);
            // An entry may fill the hole only if its home is not between the hole and where it sits now.
            var stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!stays)
            {
                _slots[hole] = _slots[next];
                hole = next;
            }
        }

        _slots[hole] = 0;
    }

    /// <summary>
    /// A small ring first, then the whole capacity at once: a quiet partition stays small, and a busy one leaves no trail
    /// of outgrown arrays for the garbage collector. The index stays at most half full. Entries are in landing order here.
    /// </summary>
    private void Grow()
    {
        Array.Resize(ref _ring, _ring.Length == 0 ? Math.Min(capacity, InitialEntries) : capacity);
        _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)_ring.Length * 2)];
        _mask = _slots.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            _slots[Find(_ring[i].EventId, _ring[i].User)] = i + 1;
        }
    }

    private int Home(Guid eventId, uint user) => HashCode.Combine(eventId, user) & _mask;

    private readonly record struct Entry(Guid EventId, uint User, uint Type)
    {
        public bool Is(Guid eventId, uint user) => EventId == eventId && User == user;
    }

    private static uint Hash(string text)
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

    /// <summary>FNV-1a over the UTF-8 text. Two players' events share an entry only with the same id and colliding hashes.</summary>
    private static uint Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261U;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619U;
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
