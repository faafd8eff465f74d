namespace GameAnalytics.Streaming.Compaction;

public sealed class CompactionOptions
{
    public const string SectionName = "Compaction";

    public bool Enabled { get; set; } = true;

    /// <summary>How often each table's partitions are looked at.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A partition of the current day is compacted once it has this many small files of one size tier (files within this
    /// factor in size)...
    /// </summary>
    public int MinFiles { get; set; } = 10;

    /// <summary>...into files of about this size; a closed day is compacted whole whatever its count.</summary>
    public long TargetFileBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// How long replaced files stay on disk after a compaction, so that queries that listed them still read them.
    /// Keep it longer than the longest query.
    /// </summary>
    public TimeSpan RetainReplacedFiles { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Landing comes first: while this many records are in Kafka and not yet landed, compaction waits for its next run.
    /// 0 never waits.
    /// </summary>
    public long MaxLandingLag { get; set; } = 100_000;

    /// <summary>DuckDB's memory for one merge; past it the sort spills to disk.</summary>
    public string MemoryLimit { get; set; } = "128MB";
}
