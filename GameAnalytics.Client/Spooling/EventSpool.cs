using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Client.Spooling;

/// <summary>
/// The unsent events, as batches ready to send (sealed) and one batch filling. Bounded: past its size the oldest
/// batch goes. Used by the sender's one thread only.
/// </summary>
internal sealed class EventSpool : IDisposable
{
    /// <summary>Half the collector's 1 MiB body limit: a batch of large events is sealed before it reaches it.</summary>
    private const long MaxBatchBytes = 512 * 1024;

    private readonly ISpoolStore _store;
    private readonly int _batchSize;
    private readonly long _maxBytes;
    private readonly LinkedList<SpooledBatch> _batches = new();
    private SpooledBatch? _open;
    private long _nextSequence;

    public EventSpool(ISpoolStore store, int batchSize, long maxBytes)
    {
        _store = store;
        _batchSize = batchSize;
        _maxBytes = maxBytes;
        var (batches, unreadable) = store.Load();
        Unreadable = unreadable;
        foreach (var (sequence, events) in batches)
        {
            var batch = new SpooledBatch(sequence);
            batch.Events.AddRange(events);
            batch.Bytes = events.Sum(Size);
            _batches.AddLast(batch);
            Bytes += batch.Bytes;
            Count += events.Count;
            _nextSequence = sequence + 1;
        }
    }

    /// <summary>Lines a previous run left that are no event (a write cut short by a crash).</summary>
    public int Unreadable { get; }

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>When the filling batch got its first event, or null when nothing is filling.</summary>
    public DateTimeOffset? OpenSince => _open?.Opened;

    /// <summary>The batch a request is carrying: never dropped to make room, since the collector may be storing it.</summary>
    public SpooledBatch? Sending { get; set; }

    /// <summary>The oldest batch ready to send.</summary>
    public SpooledBatch? Oldest => _batches.First is { } first && first.Value != _open ? first.Value : null;

    /// <summary>Adds events to the filling batch, sealing each batch that fills; returns the events dropped to stay within the bound.</summary>
    public List<TrackedEvent> Add(IReadOnlyList<TrackedEvent> events, DateTimeOffset now)
    {
        var dropped = new List<TrackedEvent>();
        var pending = new List<TrackedEvent>();
        foreach (var tracked in events)
        {
            while (Bytes + Size(tracked) > _maxBytes && OldestDroppable() is { } oldest)
            {
                if (oldest.Value == _open)
                {
                    Append(pending);
                    _open = null;
                }

                dropped.AddRange(oldest.Value.Events);
                Forget(oldest.Value);
            }

            if (_open is null)
            {
                _open = new SpooledBatch(_nextSequence++) { Opened = now };
                _batches.AddLast(_open);
            }

            pending.Add(tracked);
            _open.Events.Add(tracked);
            _open.Bytes += Size(tracked);
            Bytes += Size(tracked);
            Count++;
            if (_open.Events.Count >= _batchSize || _open.Bytes >= MaxBatchBytes)
            {
                Append(pending);
                _open = null;
            }
        }

        Append(pending);
        return dropped;
    }

    /// <summary>Makes the filling batch ready to send, full or not.</summary>
    public void Seal() => _open = null;

    /// <summary>The batch is settled: every event accepted or rejected.</summary>
    public void Remove(SpooledBatch batch)
    {
        Forget(batch);
        if (batch == _open)
        {
            _open = null;
        }
    }

    /// <summary>Keeps only the events still to send (those the collector failed to store).</summary>
    public void Keep(SpooledBatch batch, IReadOnlyList<TrackedEvent> remaining)
    {
        if (remaining.Count == 0)
        {
            Remove(batch);
            return;
        }

        if (!_batches.Contains(batch))
        {
            return;
        }

        _store.Rewrite(batch.Sequence, remaining);
        Count -= batch.Events.Count - remaining.Count;
        Bytes -= batch.Bytes;
        batch.Events.Clear();
        batch.Events.AddRange(remaining);
        batch.Bytes = remaining.Sum(Size);
        Bytes += batch.Bytes;
    }

    public void Dispose() => _store.Dispose();

    private LinkedListNode<SpooledBatch>? OldestDroppable()
    {
        var node = _batches.First;
        while (node is not null && node.Value == Sending)
        {
            node = node.Next;
        }

        return node;
    }

    private void Append(List<TrackedEvent> pending)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var batch = _open ?? _batches.Last!.Value;
        _store.Append(batch.Sequence, pending);
        pending.Clear();
    }

    private void Forget(SpooledBatch batch)
    {
        if (!_batches.Remove(batch))
        {
            return;
        }

        _store.Delete(batch.Sequence);
        Count -= batch.Events.Count;
        Bytes -= batch.Bytes;
    }

    private static long Size(TrackedEvent tracked) => tracked.Json.Length + 1;
}
