using GameAnalytics.Lake.Commits;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Streaming.Landing;

/// <summary>
/// Lands one partition's batch exactly once: Parquet files under hidden names, then the commit record
/// (the commit point), then the renames that make the files visible. Recovery rolls a committed batch
/// forward and throws away anything uncommitted.
/// </summary>
internal sealed class LakeCommitter(ILakeStorage storage, CommitLog commitLog, ParquetTableWriter writer, TimeProvider clock)
{
    /// <summary>Test hook: called at each step of a commit, to crash there.</summary>
    internal Action<CommitStep>? OnStep { get; set; }

    /// <summary>Called with each commit once its files are visible, for catalogs that must learn of new partitions.</summary>
    internal event Action<CommitRecord>? Published;

    public string Location => storage.Location;

    /// <returns>The commit, or null when another writer committed this sequence first (the batch is then discarded).</returns>
    public CommitRecord? Commit(int partition, long sequence, long firstOffset, long lastOffset, string lastRecordFingerprint, IReadOnlyList<ParsedRecord> records)
    {
        OnStep?.Invoke(CommitStep.BeforeWrite);
        var stagingToken = Guid.NewGuid().ToString("N");
        var files = new List<string>();
        var temps = new List<string>();
        try
        {
            foreach (var group in records.GroupBy(record => (record.Table, Dt: record.Event?.Dt ?? record.Rejected!.Dt)))
            {
                var path = TableFiles.RelativePath(group.Key.Table, group.Key.Dt, partition, sequence, firstOffset, lastOffset);
                var temp = TableFiles.TempPath(path, stagingToken);
                temps.Add(temp);
                if (group.Key.Table == TableNames.Rejected)
                {
                    storage.Write(temp, stream => writer.WriteRejected(stream, group.Select(record => record.Rejected!).ToList()));
                }
                else
                {
                    storage.Write(temp, stream => writer.WriteEvents(stream, group.Select(record => record.Event!).ToList()));
                }

                files.Add(path);
                OnStep?.Invoke(CommitStep.DuringWrite);
            }

            OnStep?.Invoke(CommitStep.BeforeCommitRecord);
            var commit = new CommitRecord(partition, sequence, firstOffset, lastOffset, lastRecordFingerprint, stagingToken, files, clock.GetUtcNow());
            if (!commitLog.TryAppend(commit))
            {
                DeleteAll(temps);
                return null;
            }

            OnStep?.Invoke(CommitStep.AfterCommitRecord);
            Publish(commit);
            OnStep?.Invoke(CommitStep.AfterPublish);
            return commit;
        }
        // Once the record exists the batch is committed: its staged files must stay for recovery to publish.
        catch (Exception) when (!commitLog.Contains(partition, sequence))
        {
            DeleteAll(temps);
            throw;
        }
    }

    /// <summary>
    /// Makes the lake consistent for partitions about to be consumed: finishes each one's latest commit and deletes
    /// their uncommitted files. Returns each partition's latest commit, from which consumption resumes.
    /// </summary>
    public IReadOnlyDictionary<int, CommitRecord?> Recover(IReadOnlyCollection<int> partitions)
    {
        var latest = partitions.ToDictionary(partition => partition, commitLog.Latest);
        foreach (var commit in latest.Values.OfType<CommitRecord>())
        {
            Publish(commit);
        }

        foreach (var partition in partitions)
        {
            commitLog.DeleteTemps(partition);
        }

        // One listing for all of them: in HDFS every folder listed is a request.
        foreach (var orphan in storage.ListFiles("", recursive: true).Where(path => TableFiles.TempPartition(path) is { } partition && latest.ContainsKey(partition)))
        {
            storage.Delete(orphan);
        }

        return latest;
    }

    public CommitRecord? Recover(int partition) => Recover([partition])[partition];

    /// <summary>The events this partition landed most recently, newest commits first, at most <paramref name="limit"/>.</summary>
    public IEnumerable<LandedEventKey> RecentEvents(int partition, int limit) =>
        commitLog.Recent(partition)
            .SelectMany(commit => commit.Files.Where(file => !file.StartsWith(TableNames.Rejected + "/", StringComparison.Ordinal)))
            .Where(storage.Exists)
            .SelectMany(ReadEventKeys)
            .Take(limit);

    private IEnumerable<LandedEventKey> ReadEventKeys(string path)
    {
        using var stream = storage.OpenRead(path);
        foreach (var key in ParquetTableWriter.ReadEventKeys(stream))
        {
            yield return key;
        }
    }

    private void Publish(CommitRecord commit)
    {
        foreach (var path in commit.Files)
        {
            // Without its staged file, a committed file is already in place, or compaction has since replaced it.
            var temp = TableFiles.TempPath(path, commit.StagingToken);
            if (storage.Exists(temp))
            {
                storage.Rename(temp, path);
            }
        }

        commitLog.Prune(commit.Partition);
        Published?.Invoke(commit);
    }

    private void DeleteAll(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            storage.Delete(path);
        }
    }
}

public enum CommitStep
{
    BeforeWrite,
    DuringWrite,
    BeforeCommitRecord,
    AfterCommitRecord,
    AfterPublish,
}
