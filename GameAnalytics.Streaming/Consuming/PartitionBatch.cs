using System.Diagnostics;
using GameAnalytics.Streaming.Landing;

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

    public List<ParsedRecord> Records { get; } = [];

    /// <summary>The Kafka values of <see cref="Records"/>, in bytes: what the batch holds in memory, about.</summary>
    public long Bytes { get; private set; }

    /// <summary>The offset the next record should have.</summary>
    public long ExpectedOffset => IsEmpty ? NextOffset : LastOffset + 1;

    /// <summary>Nothing consumed since the last commit (a batch of duplicates only still has offsets to commit).</summary>
    public bool IsEmpty => FirstOffset < 0;

    public DedupWindow RecentEvents { get; } = recentEvents;

    public long FirstOffset { get; private set; } = -1;

    public long LastOffset { get; private set; } = -1;

    public long StartedAt { get; private set; }

    /// <summary>The processing spans of the batch's events, which its commit span links to.</summary>
    public List<ActivityLink> Links { get; } = [];

    /// <summary>The value of the last record added, whose fingerprint goes into the commit record.</summary>
    public byte[]? LastValue { get; private set; }

    /// <summary>The raw <c>traceparent</c> of the last record, to start a processing span only when it changes.</summary>
    public byte[]? LastTraceparent { get; set; }

    /// <returns>Whether the record is a new event, or a retry of one already landed or in this batch (only its offset counts).</returns>
    public DedupResult Add(long offset, ParsedRecord record, byte[]? value)
    {
        LastValue = value;
        if (IsEmpty)
        {
            FirstOffset = offset;
            StartedAt = Stopwatch.GetTimestamp();
        }

        LastOffset = offset;
        var result = record.Event is { } landed ? RecentEvents.TryAdd(Guid.Parse(landed.EventId), landed.UserId, landed.EventType) : DedupResult.New;
        if (result != DedupResult.Duplicate)
        {
            Records.Add(record);
            Bytes += value?.Length ?? 0;
        }

        return result;
    }

    public void Link(ActivityContext context)
    {
        if (Links.Count < MaxLinks)
        {
            Links.Add(new ActivityLink(context));
        }
    }

    public bool IsDue(TimeSpan maxAge) => !IsEmpty && Stopwatch.GetElapsedTime(StartedAt) >= maxAge;

    /// <summary>Starts the next batch after a commit, or after a restart from the lake.</summary>
    public void Reset(long nextSequence, long nextOffset)
    {
        NextSequence = nextSequence;
        NextOffset = nextOffset;
        Records.Clear();
        Bytes = 0;
        Links.Clear();
        FirstOffset = LastOffset = -1;
        LastTraceparent = null;
        LastValue = null;
    }
}
