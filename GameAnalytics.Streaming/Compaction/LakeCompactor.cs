using System.Globalization;
using DuckDB.NET.Data;
using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using Microsoft.Extensions.Options;
using static GameAnalytics.Lake.Sql.SqlText;

namespace GameAnalytics.Streaming.Compaction;

/// <summary>
/// Merges a table partition's small files into large ones. The new file stays invisible to snapshot readers
/// until its compaction record is written, which also hides the files it replaces: the one atomic switch.
/// Replaced files are deleted only after a retention period, so queries already running still find them.
/// </summary>
internal sealed partial class LakeCompactor(ILakeStorage storage, IOptions<CompactionOptions> options, TimeProvider clock, ILogger<LakeCompactor> logger)
{
    // DuckDB spills under the working directory otherwise: the project folder under `dotnet run`. One per process,
    // since DuckDB names its spill files alike in every process.
    private static readonly string SpillDirectory = Path.Combine(Path.GetTempPath(), $"gameanalytics-compaction-{Environment.ProcessId}");

    private readonly CompactionOptions _options = options.Value;

    /// <summary>Test hook: called at each step of a compaction, to crash there.</summary>
    internal Action<CompactionStep>? OnStep { get; set; }

    /// <returns>The compactions made, or null when another compactor holds the table.</returns>
    public IReadOnlyList<CompactionRecord>? Compact(string table)
    {
        if (!storage.ListDirectories(table).Any())
        {
            return [];
        }

        using var tableLock = storage.TryLock(CompactionRecord.LockOf(table));
        if (tableLock is null)
        {
            return null;
        }

        var state = CompactionState.Read(storage, table);
        var deletedBefore = clock.GetUtcNow() - _options.RetainReplacedFiles;
        DeleteOrphans(table, state);
        DeleteReplaced(state, deletedBefore);
        DeleteSuperseded(state, deletedBefore);

        var made = new List<CompactionRecord>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var group in Candidates(table, today))
        {
            if (group.Files.Count >= _options.MinFiles || (group.Dt < today && group.Files.Count >= 2))
            {
                made.Add(Merge(table, group.Dt, group.Files));
            }
        }

        if (state.Records.Count + made.Count >= CompactionCheckpoint.Every)
        {
            CompactionCheckpoint.Fold(state, made, deletedBefore, clock.GetUtcNow(), table).Write(storage);
        }

        return made;
    }

    /// <summary>
    /// Per partition, the visible small files to merge now, cut into runs of about the target size. A closed day merges
    /// whole. Today's files merge in size tiers, each <see cref="CompactionOptions.MinFiles"/> times the one below, and a
    /// tier only once it holds that many files: the merged file is a tier up, so each row is rewritten about once per
    /// tier (four times from 20 KB files to 128 MB) instead of once per run while the day grows.
    /// </summary>
    private IEnumerable<(DateOnly Dt, List<string> Files)> Candidates(string table, DateOnly today)
    {
        var small = TableSnapshot.Files(storage, table)
            .Select(path => new SizedFile(path, storage.Status(path)?.Length ?? 0))
            .Where(file => file.Length < _options.TargetFileBytes / 2);
        foreach (var partition in small.GroupBy(file => TableFiles.PartitionDate(TableFiles.DirectoryOf(file.Path))!.Value))
        {
            IEnumerable<IEnumerable<SizedFile>> groups = partition.Key < today
                ? [partition]
                : partition.GroupBy(file => Tier(file.Length)).Where(tier => tier.Count() >= _options.MinFiles);
            foreach (var group in groups)
            {
                var run = new List<string>();
                long bytes = 0;
                foreach (var file in group.OrderBy(file => file.Path, StringComparer.Ordinal))
                {
                    run.Add(file.Path);
                    bytes += file.Length;
                    if (bytes >= _options.TargetFileBytes)
                    {
                        yield return (partition.Key, run);
                        run = [];
                        bytes = 0;
                    }
                }

                if (run.Count > 0)
                {
                    yield return (partition.Key, run);
                }
            }
        }
    }

    /// <summary>Files within a factor of <see cref="CompactionOptions.MinFiles"/> in size share a tier.</summary>
    private int Tier(long length) => (int)Math.Floor(Math.Log(Math.Max(length, 1)) / Math.Log(_options.MinFiles));

    private CompactionRecord Merge(string table, DateOnly dt, List<string> inputs)
    {
        OnStep?.Invoke(CompactionStep.BeforeMerge);
        var id = $"{clock.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}"[..32];
        var partition = TableFiles.DirectoryOf(inputs[0]);
        var output = TableFiles.CompactedPath(partition, id);
        var temp = TableFiles.StagedCompactedPath(partition, id);

        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // A background job: one core and a bounded memory (DuckDB spills the sort to disk past it), so landing goes on.
            command.CommandText = $"set threads = 1; set memory_limit = {Literal(_options.MemoryLimit)}; set preserve_insertion_order = false; " +
                $"set temp_directory = {Literal(SpillDirectory)}";
            command.ExecuteNonQuery();
            command.CommandText = MergeSql(table, inputs.Select(storage.EnginePath), storage.EnginePath(temp));
            command.ExecuteNonQuery();
        }

        OnStep?.Invoke(CompactionStep.AfterMerge);
        if (!storage.TryRenameNoReplace(temp, output))
        {
            throw new IOException($"The compaction output {output} already exists.");
        }

        OnStep?.Invoke(CompactionStep.AfterRename);

        var record = new CompactionRecord(id, table, dt, inputs, output, clock.GetUtcNow());
        record.Write(storage);
        OnStep?.Invoke(CompactionStep.AfterRecord);
        LogCompacted(table, dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), inputs.Count, record.Added);
        return record;
    }

    /// <summary>
    /// Event tables also drop client retries the landing window missed (one row per player, event_id and type), and are sorted
    /// by received_at so that row-group statistics prune time filters well. Files of before a column was added
    /// merge by column name, the missing column null.
    /// </summary>
    private static string MergeSql(string table, IEnumerable<string> inputs, string output)
    {
        var files = string.Join(", ", inputs.Select(Literal));
        var select = table == TableNames.Rejected
            ? $"select * from read_parquet([{files}], hive_partitioning = false, union_by_name = true) order by rejected_at"
            : $"select * from read_parquet([{files}], hive_partitioning = false, union_by_name = true) " +
              "qualify row_number() over (partition by user_id, event_id, event_type order by received_at, kafka_partition, kafka_offset) = 1 order by received_at";
        return $"copy ({select}) to {Literal(output)} (format parquet, compression snappy, row_group_size 1000000)";
    }

    /// <summary>Outputs of compactions that crashed before their record: never visible, safe to delete under the lock.</summary>
    private void DeleteOrphans(string table, CompactionState state)
    {
        foreach (var partition in storage.ListDirectories(table).Where(directory => TableFiles.PartitionDate(directory) is not null))
        {
            foreach (var file in storage.ListFiles(partition, recursive: false))
            {
                if ((TableFiles.IsCompacted(file) || TableFiles.IsStagedCompacted(file)) && !state.Added.Contains(file) && !state.Removed.Contains(file))
                {
                    storage.Delete(file);
                }
            }
        }
    }

    private void DeleteReplaced(CompactionState state, DateTimeOffset deletedBefore)
    {
        var replaced = (state.Checkpoint?.Replaced ?? []).Where(file => file.ReplacedAt <= deletedBefore).Select(file => file.Path)
            .Concat(state.Records.Where(record => record.CommittedAt <= deletedBefore).SelectMany(record => record.Removed));
        foreach (var path in replaced)
        {
            storage.Delete(path);
        }
    }

    /// <summary>Records a checkpoint folds in, and older checkpoints, once that checkpoint has been there as long as replaced files stay.</summary>
    private void DeleteSuperseded(CompactionState state, DateTimeOffset deletedBefore)
    {
        if (state.Checkpoint is { } checkpoint && checkpoint.CommittedAt <= deletedBefore)
        {
            foreach (var path in state.Superseded)
            {
                storage.Delete(path);
            }
        }
    }

    private sealed record SizedFile(string Path, long Length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted {Count} files of {Table} dt={Dt} into {File}")]
    private partial void LogCompacted(string table, string dt, int count, string file);
}

public enum CompactionStep
{
    BeforeMerge,
    AfterMerge,
    AfterRename,
    AfterRecord,
}
