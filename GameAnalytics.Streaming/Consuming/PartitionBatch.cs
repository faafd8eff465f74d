using System.Diagnostics;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>What one assigned partition has consumed since its last commit.</summary>
internal sealed class PartitionBatch(int partition, long nextSequence, long epoch, long nextOffset, DedupWindow recentEvents)
{
    private const int MaxLinks = 1000;

    public int Partition { get; } = partition;

    /// <summary>This instance's ownership of the partition: the sequence of its takeover record.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>The sequence the next commit of this partition takes.</summary>
    public long NextSequence { get; private set; } = nextSequence;

    /// <summary>The first offset not yet landed: where this partition resumes.</summary>
    public long NextOffset { get; private set; } = nextOffset;

    /// <summary>The records consumed, not yet parsed: landing parses them, partitions in parallel.</summary>
    public ConsumedRecords Records { get; } = new();

    /// <summary>The Kafka values of <see cref="Records"/>, in bytes: what the batch holds in memory, about.</summary>
    public long Bytes => Records.Bytes;

    /// <summary>The offset the next record should have.</summary>
    public long ExpectedOffset => IsEmpty ? NextOffset : LastOffset + 1;

    /// <summary>Nothing consumed since the last commit.</summary>
    public bool IsEmpty => FirstOffset < 0;

    /// <summary>The events landed last, to drop client retries; only the landing of this partition's batch touches it.</summary>
    public DedupWindow RecentEvents { get; } = recentEvents;

    public long FirstOffset { get; private set; } = -1;

    public long LastOffset { get; private set; } = -1;

    public long StartedAt { get; private set; }

    /// <summary>The processing spans of the batch's events, which its commit span links to.</summary>
    public List<ActivityLink> Links { get; } = [];

    /// <summary>The raw <c>traceparent</c> of the last record, to look at the trace context only when it changes.</summary>
    public byte[]? LastTraceparent { get; set; }

    /// <summary>The fingerprint of the last record, which goes into the commit record.</summary>
    public string LastRecordFingerprint => RecordFingerprint.Of(Records.Value(Records.Count - 1));

    public void Add(long offset, long timestampMs, ReadOnlySpan<byte> value)
    {
        if (IsEmpty)
        {
            FirstOffset = offset;
            StartedAt = Stopwatch.GetTimestamp();
        }

        LastOffset = offset;
        Records.Add(offset, timestampMs, value);
    }

    public void Link(ActivityContext context)
    {
        if (Links.Count < MaxLinks)
        {
            Links.Add(new ActivityLink(context));
        }
    }

    /// <summary>Starts the next batch after a commit, or after a restart from the lake.</summary>
    public void Reset(long nextSequence, long nextOffset)
    {
        NextSequence = nextSequence;
        NextOffset = nextOffset;
        Records.Clear();
        Links.Clear();
        FirstOffset = LastOffset = -1;
        LastTraceparent = null;
    }
}
