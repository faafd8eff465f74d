using System.Globalization;

namespace GameAnalytics.Streaming.Lake;

/// <summary>Where a batch's files go: <c>&lt;lake&gt;/&lt;table&gt;/dt=YYYY-MM-DD/p&lt;partition&gt;-&lt;sequence&gt;-&lt;first&gt;-&lt;last&gt;.parquet</c>.</summary>
internal static class TableFiles
{
    /// <summary>Relative to the lake root, with forward slashes, as the commit record stores it.</summary>
    public static string RelativePath(string table, DateOnly dt, int partition, long sequence, long firstOffset, long lastOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"{table}/dt={dt:yyyy-MM-dd}/p{partition:D3}-{sequence:D12}-{firstOffset}-{lastOffset}.parquet");

    /// <summary>
    /// The in-progress name beside the final one: a leading dot hides it from every lake reader, and the writer's
    /// staging token keeps two writers of the same batch from touching each other's files.
    /// </summary>
    public static string TempPath(string path, string stagingToken)
    {
        var slash = path.LastIndexOf('/');
        return $"{path[..(slash + 1)]}.{path[(slash + 1)..]}.{stagingToken}.tmp";
    }

    /// <summary>The Kafka partition of a staged table file, or null for any other file (commit records' temps live elsewhere).</summary>
    public static int? TempPartition(string path)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        var dash = name.IndexOf('-');
        return name.StartsWith(".p") && name.EndsWith(".tmp") && dash > 2
            && int.TryParse(name[2..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            ? partition
            : null;
    }
}
