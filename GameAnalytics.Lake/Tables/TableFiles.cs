using System.Globalization;

namespace GameAnalytics.Lake.Tables;

/// <summary>
/// The lake's layout: <c>&lt;table&gt;/dt=YYYY-MM-DD/&lt;file&gt;.parquet</c>, paths relative to the lake's root with
/// forward slashes. A landed batch's file is <c>p&lt;partition&gt;-&lt;sequence&gt;-&lt;first&gt;-&lt;last&gt;.parquet</c>, a
/// compaction's <c>c-&lt;id&gt;.parquet</c>. Names that start with <c>.</c> or <c>_</c> are hidden from every engine, as Hive's are.
/// </summary>
public static class TableFiles
{
    /// <summary>Compaction outputs are named <c>c-&lt;id&gt;.parquet</c>.</summary>
    public const string CompactedPrefix = "c-";

    private const string PartitionPrefix = "dt=";

    /// <summary>A folder or file name that Hive, Presto, Spark and DuckDB's hive partitioning all skip.</summary>
    public static bool IsHidden(string name) => name.StartsWith('.') || name.StartsWith('_');

    /// <summary>The name of a path's last part.</summary>
    public static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>The folder a path is in.</summary>
    public static string DirectoryOf(string path) => path[..path.LastIndexOf('/')];

    public static string PartitionDirectory(string table, DateOnly dt) =>
        string.Create(CultureInfo.InvariantCulture, $"{table}/{PartitionPrefix}{dt:yyyy-MM-dd}");

    /// <summary>The date of a partition folder (<c>dt=YYYY-MM-DD</c>), or null for any other folder.</summary>
    public static DateOnly? PartitionDate(string directory) =>
        NameOf(directory) is var name && name.StartsWith(PartitionPrefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(name[PartitionPrefix.Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt)
            ? dt
            : null;

    /// <summary>Where a landed batch's rows of one table and day go, as the commit record stores it.</summary>
    public static string RelativePath(string table, DateOnly dt, int partition, long sequence, long firstOffset, long lastOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"{PartitionDirectory(table, dt)}/p{partition:D3}-{sequence:D12}-{firstOffset}-{lastOffset}.parquet");

    /// <summary>The Kafka partition and commit sequence of a landed batch's file (<see cref="RelativePath"/>), or null for any other file.</summary>
    public static (int Partition, long Sequence)? LandedBatch(string path)
    {
        var parts = NameOf(path).Split('-');
        return parts.Length == 4 && parts[0].StartsWith('p') && parts[3].EndsWith(".parquet", StringComparison.Ordinal)
            && int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? (partition, sequence)
            : null;
    }

    public static string CompactedPath(string partitionDirectory, string id) => $"{partitionDirectory}/{CompactedPrefix}{id}.parquet";

    /// <summary>A compaction output while it is written, hidden: <c>.c-&lt;id&gt;.parquet.tmp</c> beside the final name.</summary>
    public static string StagedCompactedPath(string partitionDirectory, string id) => $"{partitionDirectory}/.{CompactedPrefix}{id}.parquet.tmp";

    public static bool IsCompacted(string path) => NameOf(path).StartsWith(CompactedPrefix, StringComparison.Ordinal);

    /// <summary>Whether the path is a <see cref="StagedCompactedPath"/>.</summary>
    public static bool IsStagedCompacted(string path) =>
        NameOf(path) is var name && name.StartsWith("." + CompactedPrefix, StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>A visible Parquet file of a table.</summary>
    public static bool IsTableFile(string path) =>
        NameOf(path) is var name && !IsHidden(name) && name.EndsWith(".parquet", StringComparison.Ordinal);

    /// <summary>
    /// The in-progress name beside the final one: a leading dot hides it from every lake reader, and the writer's
    /// staging token keeps two writers of the same batch from touching each other's files.
    /// </summary>
    public static string TempPath(string path, string stagingToken)
    {
        var slash = path.LastIndexOf('/');
        return $"{path[..(slash + 1)]}.{path[(slash + 1)..]}.{stagingToken}.tmp";
    }

    /// <summary>
    /// A writer's staging token: its ownership epoch of the partition (the sequence of the commit record that began
    /// its ownership), so that a recovery can tell a newer owner's staged files from an older one's, then a Guid.
    /// </summary>
    public static string StagingToken(long epoch) => string.Create(CultureInfo.InvariantCulture, $"e{epoch:D12}-{Guid.NewGuid():N}");

    /// <summary>The ownership epoch a staged table file was written in; null for any other file, or one staged before epochs.</summary>
    public static long? TempEpoch(string path)
    {
        var name = NameOf(path);
        if (!name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return null;
        }

        var token = name[..^".tmp".Length];
        token = token[(token.LastIndexOf('.') + 1)..];
        var dash = token.IndexOf('-');
        return token.StartsWith('e') && dash > 1
            && long.TryParse(token.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : null;
    }

    /// <summary>The Kafka partition of a staged table file, or null for any other file (commit records' temps live elsewhere).</summary>
    public static int? TempPartition(string path)
    {
        var name = NameOf(path).AsSpan();
        var dash = name.IndexOf('-');
        return name.StartsWith(".p") && name.EndsWith(".tmp") && dash > 2
            && int.TryParse(name[2..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            ? partition
            : null;
    }
}
