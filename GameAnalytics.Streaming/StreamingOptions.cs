using GameAnalytics.Events.Kafka;

namespace GameAnalytics.Streaming;

public sealed class StreamingOptions
{
    public const string SectionName = "Streaming";

    public string Topic { get; set; } = KafkaTopics.Events;

    public string GroupId { get; set; } = "game-analytics-streaming";

    /// <summary>
    /// How many records may wait in memory across all assigned partitions: past it, the largest batches are landed
    /// until half are left. This bounds the processor's memory whatever the number of partitions; larger batches make
    /// fewer, larger files and cost less CPU per event (BENCHMARKS.md).
    /// </summary>
    public int FlushEvents { get; set; } = 100_000;

    /// <summary>
    /// How many bytes of Kafka values may wait in memory across all partitions: past it, the largest batches by bytes
    /// are landed until half are left. Large events would otherwise run the process out of memory before <see cref="FlushEvents"/> is reached.
    /// </summary>
    public long FlushBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// A partition's batch is landed when its oldest record has waited this long. Half a second keeps an event's p99 from
    /// accepted to visible under 1 s; it makes twice the small files of 1 s, which compaction merges (BENCHMARKS.md).
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// On stop, how long the processor may go on consuming to land what the broker held when the stop began: the dev
    /// broker's records exist nowhere else. 0 lands only what is already consumed.
    /// </summary>
    public TimeSpan CatchUpOnStop { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many recent event ids each partition remembers to drop client retries (0 turns it off). Retries of one
    /// event share its user_id, hence its partition; the window is rebuilt from the lake when a partition is assigned.
    /// </summary>
    public int DedupWindow { get; set; } = 100_000;

    /// <summary>Event type to table. A catalog type without an entry lands in a table named after the type.</summary>
    public Dictionary<string, string> Tables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>librdkafka consumer settings on top of ours (e.g. <c>Streaming:Consumer:session.timeout.ms</c>).</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];
}
