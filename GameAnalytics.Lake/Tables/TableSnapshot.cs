using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;

namespace GameAnalytics.Lake.Tables;

/// <summary>
/// The files a reader of a table must read, at one moment: every committed Parquet file in the table's
/// folders, without those a compaction replaced, and without compaction outputs whose record is not yet
/// written. A reader therefore sees the set before a compaction or the set after it, never both, never neither.
/// </summary>
public static class TableSnapshot
{
    /// <returns>Paths from the lake's root, sorted.</returns>
    public static IReadOnlyList<string> Files(ILakeStorage storage, string table)
    {
        // Compactions first: one that commits after this point cannot hide a file we then list.
        var compactions = CompactionState.Read(storage, table);
        var (removed, added) = (compactions.Removed, compactions.Added);

        return storage.ListDirectories(table)
            .Where(directory => TableFiles.PartitionDate(directory) is not null)
            .SelectMany(partition => storage.ListFiles(partition, recursive: false))
            .Where(TableFiles.IsTableFile)
            .Where(path => !removed.Contains(path))
            .Where(path => !TableFiles.IsCompacted(path) || added.Contains(path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
