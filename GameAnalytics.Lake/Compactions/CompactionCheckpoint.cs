using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Lake.Compactions;

/// <summary>
/// A table's compaction records folded into one file: a snapshot reads it and the few records after it instead of every
/// record since the table began. The compactor writes one under the table's lock every <see cref="Every"/> records, and
/// deletes the records it folds in (and older checkpoints) once the checkpoint is older than the replaced files' retention.
/// </summary>
/// <param name="Number">Checkpoints are numbered; readers take the highest.</param>
/// <param name="Folded">The records it folds in: readers skip those files.</param>
/// <param name="Added">The compaction outputs that are still in the table.</param>
/// <param name="Replaced">The files compactions replaced that may still be on disk, with when: readers hide them.</param>
/// <param name="LastBatchesReplaced">
/// For each Kafka partition, the replaced files of its newest landed batch: a recovery that finds that batch's files
/// gone learns here that compaction took them, long after they were deleted.
/// </param>
public sealed record CompactionCheckpoint(
    long Number,
    string Table,
    IReadOnlyList<string> Folded,
    IReadOnlyList<string> Added,
    IReadOnlyList<ReplacedFile> Replaced,
    IReadOnlyList<string> LastBatchesReplaced,
    DateTimeOffset CommittedAt)
{
    /// <summary>How many records since the last checkpoint make the compactor write the next.</summary>
    public const int Every = 20;

    private const string Prefix = "checkpoint-";

    public static string PathOf(string table, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{CompactionRecord.DirectoryOf(table)}/{Prefix}{number:D12}.json");

    /// <summary>The checkpoint's number, or null when the path is no checkpoint.</summary>
    public static long? NumberOf(string path) =>
        TableFiles.NameOf(path) is var name && name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - ".json".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public static CompactionCheckpoint Read(ILakeStorage storage, string path)
    {
        using var stream = storage.OpenRead(path);
        return JsonSerializer.Deserialize(stream, CompactionCheckpointJsonContext.Default.CompactionCheckpoint)
            ?? throw new InvalidDataException($"The compaction checkpoint {path} is empty.");
    }

    /// <summary>
    /// The state folded with the compactions just made. Files replaced before <paramref name="deletedBefore"/> are
    /// already deleted, so they are left out.
    /// </summary>
    public static CompactionCheckpoint Fold(CompactionState state, IReadOnlyList<CompactionRecord> made, DateTimeOffset deletedBefore, DateTimeOffset now, string table)
    {
        var records = state.Records.Concat(made).ToList();
        var replaced = (state.Checkpoint?.Replaced ?? [])
            .Concat(records.SelectMany(record => record.Removed.Select(path => new ReplacedFile(path, record.CommittedAt))))
            .ToList();
        var replacedPaths = replaced.Select(file => file.Path).ToHashSet(StringComparer.Ordinal);
        var added = (state.Checkpoint?.Added ?? []).Concat(records.Select(record => record.Added)).Where(path => !replacedPaths.Contains(path));
        var lastBatches = (state.Checkpoint?.LastBatchesReplaced ?? []).Concat(replacedPaths)
            .Select(path => (Path: path, Batch: TableFiles.LandedBatch(path)))
            .Where(file => file.Batch is not null)
            .GroupBy(file => file.Batch!.Value.Partition)
            .SelectMany(partition => partition.Where(file => file.Batch!.Value.Sequence == partition.Max(other => other.Batch!.Value.Sequence)))
            .Select(file => file.Path);
        return new CompactionCheckpoint(
            (state.Checkpoint?.Number ?? 0) + 1,
            table,
            [.. state.FoldedStillOnDisk.Concat(records.Select(record => record.Id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. added.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. replaced.Where(file => file.ReplacedAt > deletedBefore).DistinctBy(file => file.Path).OrderBy(file => file.Path, StringComparer.Ordinal)],
            [.. lastBatches.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            now);
    }

    /// <summary>Writes the checkpoint under a temporary name and renames it into place: all or nothing, and only once.</summary>
    public void Write(ILakeStorage storage)
    {
        var path = PathOf(Table, Number);
        var temp = $"{CompactionRecord.DirectoryOf(Table)}/.{TableFiles.NameOf(path)}.tmp";
        storage.Write(temp, stream => JsonSerializer.Serialize(stream, this, CompactionCheckpointJsonContext.Default.CompactionCheckpoint));
        if (!storage.TryRenameNoReplace(temp, path))
        {
            storage.Delete(temp);
            throw new IOException($"The compaction checkpoint {path} already exists.");
        }
    }
}

/// <summary>A file a compaction replaced, and when the compaction committed.</summary>
public sealed record ReplacedFile(string Path, DateTimeOffset ReplacedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CompactionCheckpoint))]
internal sealed partial class CompactionCheckpointJsonContext : JsonSerializerContext;
