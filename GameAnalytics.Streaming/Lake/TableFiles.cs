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
    public static string TempPath(string finalPath, string stagingToken) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, $".{Path.GetFileName(finalPath)}.{stagingToken}.tmp");

    public static string TempPattern(int partition) => $".p{partition:D3}-*.tmp";
}
