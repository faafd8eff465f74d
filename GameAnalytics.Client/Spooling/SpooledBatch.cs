using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Client.Spooling;

/// <summary>Events sent together in one request, in the order they were tracked.</summary>
internal sealed class SpooledBatch(long sequence)
{
    public long Sequence { get; } = sequence;

    public List<TrackedEvent> Events { get; } = [];

    public long Bytes { get; set; }

    /// <summary>When its first event came: a batch that waited a flush interval is sent unfilled.</summary>
    public DateTimeOffset Opened { get; set; }
}
