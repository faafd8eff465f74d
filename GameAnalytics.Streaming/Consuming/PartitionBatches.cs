using GameAnalytics.Lake.Commits;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>The batches of the assigned partitions, and how many records and bytes they hold together.</summary>
internal sealed class PartitionBatches(StreamingOptions options)
{
    private readonly Dictionary<int, PartitionBatch> _batches = [];
    private int _records;
    private long _bytes;

    public int Count => _batches.Count;

    public IReadOnlyCollection<int> Partitions => _batches.Keys;

    public IReadOnlyCollection<PartitionBatch> All => _batches.Values;

    public PartitionBatch? Get(int partition) => _batches.GetValueOrDefault(partition);

    public void Set(PartitionBatch batch) => _batches[batch.Partition] = batch;

    /// <summary>Adds a consumed record to its partition's batch.</summary>
    /// <returns>What the retry window made of it, and the batch to land now when the records or bytes held are past their limits.</returns>
    public (DedupResult Added, PartitionBatch? Full) Add(PartitionBatch batch, long offset, ParsedRecord record, byte[]? value)
    {
        var added = batch.Add(offset, record, value);
        if (added == DedupResult.Duplicate)
        {
            return (added, null);
        }

        _bytes += value?.Length ?? 0;
        if (_bytes >= options.FlushBytes)
        {
            return (added, _batches.Values.MaxBy(candidate => candidate.Bytes));
        }

        return (added, ++_records >= options.FlushEvents ? _batches.Values.MaxBy(candidate => candidate.Records.Count) : null);
    }

    /// <summary>The batches whose oldest record has waited <see cref="StreamingOptions.FlushInterval"/>.</summary>
    public PartitionBatch[] Due() => [.. _batches.Values.Where(batch => batch.IsDue(options.FlushInterval))];

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
