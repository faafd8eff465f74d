namespace GameAnalytics.Events.Lake;

/// <summary>
/// The files a reader of a table must read, at one moment: every committed Parquet file in the table's
/// folders, without those a compaction replaced, and without compaction outputs whose record is not yet
/// written. A reader therefore sees the set before a compaction or the set after it, never both, never neither.
/// </summary>
public static class TableSnapshot
{
    /// <summary>Compaction outputs are named <c>c-&lt;id&gt;.parquet</c>.</summary>
    public const string CompactedPrefix = "c-";

    /// <returns>Absolute paths, sorted.</returns>
    public static IReadOnlyList<string> Files(string lakeRoot, string table)
    {
        var tableDirectory = Path.Combine(lakeRoot, table);
        if (!Directory.Exists(tableDirectory))
        {
            return [];
        }

        // Records first: a compaction that commits after this point cannot hide a file we then list.
        var compactions = CompactionRecord.ReadAll(lakeRoot, table).ToList();
        var removed = compactions.SelectMany(compaction => compaction.Removed).ToHashSet(StringComparer.Ordinal);
        var added = compactions.Select(compaction => compaction.Added).ToHashSet(StringComparer.Ordinal);

        return Directory.EnumerateDirectories(tableDirectory, "dt=*")
            .SelectMany(partition => Directory.EnumerateFiles(partition, "*.parquet"))
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Select(path => (Path: path, Relative: Path.GetRelativePath(lakeRoot, path).Replace('\\', '/')))
            .Where(file => !removed.Contains(file.Relative))
            .Where(file => !Path.GetFileName(file.Path).StartsWith(CompactedPrefix, StringComparison.Ordinal) || added.Contains(file.Relative))
            .Select(file => file.Path)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
