namespace GameAnalytics.Streaming.Consuming;

/// <summary>The last event ids a partition landed, so that a client's retry of an event is landed once. Ids are kept as Guids: 16 bytes, not a string each.</summary>
internal sealed class DedupWindow(int capacity)
{
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<Guid> _order = new();

    public int Count => _ids.Count;

    /// <returns>False when the id is already in the window: a duplicate.</returns>
    public bool TryAdd(Guid eventId)
    {
        if (capacity <= 0)
        {
            return true;
        }

        if (!_ids.Add(eventId))
        {
            return false;
        }

        _order.Enqueue(eventId);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }

        return true;
    }
}
