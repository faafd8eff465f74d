using System.Diagnostics;
using GameAnalytics.Lake.Commits;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>The batches of the assigned partitions, and how many records and bytes they hold together.</summary>
internal sealed class PartitionBatches(StreamingOptions options)
{
    private static readonly long DueCheckInterval = Stopwatch.Frequency / 100;

    private readonly Dictionary<int, PartitionBatch> _batches = [];
    private long _dueCheckedAt;
    private int _records;
    private long _bytes;

    public int Count => _batches.Count;

    public IReadOnlyCollection<int> Partitions => _batches.Keys;

    public IReadOnlyCollection<PartitionBatch> All => _batches.Values;

    public PartitionBatch? Get(int partition) => _batches.GetValueOrDefault(partition);

    public void Set(PartitionBatch batch) => _batches[batch.Partition] = batch;

    /// <summary>Adds a consumed record to its partition's batch.</summary>
    /// <returns>The batches to land now, when the records or bytes held are past their limits; otherwise null.</returns>
    public PartitionBatch[]? Add(PartitionBatch batch, long offset, long timestampMs, ReadOnlySpan<byte> value)
    {
        batch.Add(offset, timestampMs, value);
        _bytes += value.Length;
        return ++_records >= options.FlushEvents || _bytes >= options.FlushBytes ? Largest() : null;
    }

    /// <summary>
    /// The largest batches, until the rest hold at most half of each limit: landed together, they land in parallel
    /// and in files of a useful size, where the single largest would leave the others to fill the limit again at once.
    /// </summary>
    private PartitionBatch[] Largest()
    {
        var byBytes = _bytes >= options.FlushBytes;
        var (records, bytes) = (_records, _bytes);
        var largest = new List<PartitionBatch>();
        foreach (var batch in _batches.Values.OrderByDescending(batch => byBytes ? batch.Bytes : batch.Records.Count))
        {
            if (records <= options.FlushEvents / 2 && bytes <= options.FlushBytes / 2)
            {
                break;
            }

            largest.Add(batch);
            (records, bytes) = (records - batch.Records.Count, bytes - batch.Bytes);
        }

        return [.. largest];
    }

    /// <summary>The batches whose oldest record has waited <see cref="StreamingOptions.FlushInterval"/>; null when none has.</summary>
    /// <remarks>Asked after every record, it looks at the batches at most every 10 ms: reading the clock for each was a cost of its own.</remarks>
    public PartitionBatch[]? Due()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _dueCheckedAt < DueCheckInterval)
        {
            return null;
        }

        _dueCheckedAt = now;
        var maxAge = (long)(options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
        List<PartitionBatch>? due = null;
        foreach (var batch in _batches.Values)
        {
            if (!batch.IsEmpty && now - batch.StartedAt >= maxAge)
            {
                (due ??= []).Add(batch);
            }
        }

        return due?.ToArray();
    }

    /// <summary>The batch is in the lake: it starts again after <paramref name="commit"/>.</summary>
    public void Landed(PartitionBatch batch, CommitRecord commit)
    {
        Release(batch);
        batch.Reset(commit.Sequence + 1, commit.NextOffset);
    }

    /// <summary>No longer landed here (revoked, lost or suspended): its buffer goes, unwritten.</summary>
    public void Drop(int partition)
    {
        if (_batches.Remove(partition, out var batch))
        {
            Release(batch);
        }
    }

    private void Release(PartitionBatch batch)
    {
        _records -= batch.Records.Count;
        _bytes -= batch.Bytes;
    }
}
