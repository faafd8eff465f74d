using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Lake.Compactions;

/// <summary>
/// What a table's compactions say at one moment: its newest checkpoint and the records after it. Reading it costs one
/// listing, one checkpoint and the records since, however many compactions the table has had.
/// </summary>
public sealed class CompactionState
{
    private const int Attempts = 5;

    private CompactionState(CompactionCheckpoint? checkpoint, IReadOnlyList<CompactionRecord> records, IReadOnlyList<string> superseded)
    {
        Checkpoint = checkpoint;
        Records = records;
        Superseded = superseded;
        Removed = (checkpoint?.Replaced ?? []).Select(file => file.Path).Concat(records.SelectMany(record => record.Removed)).ToHashSet(StringComparer.Ordinal);
        Added = (checkpoint?.Added ?? []).Concat(records.Select(record => record.Added)).ToHashSet(StringComparer.Ordinal);
    }

    public CompactionCheckpoint? Checkpoint { get; }

    /// <summary>The records the checkpoint does not fold in.</summary>
    public IReadOnlyList<CompactionRecord> Records { get; }

    /// <summary>Files the newest checkpoint makes unneeded: the records it folds in and older checkpoints.</summary>
    public IReadOnlyList<string> Superseded { get; }

    /// <summary>The ids of the records the checkpoint folds in whose files are still there.</summary>
    public IEnumerable<string> FoldedStillOnDisk =>
        Checkpoint is null ? [] : Superseded.Where(path => CompactionCheckpoint.NumberOf(path) is null).Select(CompactionRecord.IdOf);

    /// <summary>Files replaced by a compaction that may still be on disk: readers hide them.</summary>
    public IReadOnlySet<string> Removed { get; }

    /// <summary>Compaction outputs, including those a later compaction replaced.</summary>
    public IReadOnlySet<string> Added { get; }

    /// <summary>Whether a compaction replaced the file: only then may a committed file be gone.</summary>
    public bool WasReplaced(string path) => Removed.Contains(path) || (Checkpoint?.LastBatchesReplaced.Contains(path) ?? false);

    public static CompactionState Read(ILakeStorage storage, string table)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return ReadOnce(storage, table);
            }
            catch (FileNotFoundException) when (attempt < Attempts)
            {
                // A file listed a moment ago was folded into a newer checkpoint and deleted: list again.
            }
        }
    }

    private static CompactionState ReadOnce(ILakeStorage storage, string table)
    {
        var files = storage.ListFiles(CompactionRecord.DirectoryOf(table), recursive: false)
            .Where(path => path.EndsWith(".json", StringComparison.Ordinal) && !TableFiles.IsHidden(TableFiles.NameOf(path)))
            .Select(path => (Path: path, Checkpoint: CompactionCheckpoint.NumberOf(path)))
            .ToList();
        var newest = files.Where(file => file.Checkpoint is not null).OrderByDescending(file => file.Checkpoint).Select(file => file.Path).FirstOrDefault();
        var checkpoint = newest is null ? null : CompactionCheckpoint.Read(storage, newest);
        var folded = (checkpoint?.Folded ?? []).ToHashSet(StringComparer.Ordinal);
        var records = new List<CompactionRecord>();
        var superseded = new List<string>();
        foreach (var (path, number) in files.Where(file => file.Path != newest))
        {
            if (number is not null || folded.Contains(CompactionRecord.IdOf(path)))
            {
                superseded.Add(path);
            }
            else
            {
                records.Add(CompactionRecord.Read(storage, path));
            }
        }

        return new CompactionState(checkpoint, records, superseded);
    }
}
