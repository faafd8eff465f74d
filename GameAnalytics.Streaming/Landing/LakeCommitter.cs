using GameAnalytics.Lake.Commits;
using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Streaming.Landing;

/// <summary>
/// Lands one partition's batch exactly once: Parquet files under hidden names, then the commit record
/// (the commit point), then the renames that make the files visible. Recovery rolls a committed batch
/// forward, takes the partition over with a record of its own (so that an older owner, stalled mid-batch, can
/// never commit what it staged), and throws away the older owners' staged files.
/// </summary>
internal sealed class LakeCommitter(ILakeStorage storage, CommitLog commitLog, ParquetTableWriter writer, TimeProvider clock)
{
    /// <summary>Test hook: called at each step of a commit, to crash there.</summary>
    internal Action<CommitStep>? OnStep { get; set; }

    /// <summary>Called with each commit once its files are visible, for catalogs that must learn of new partitions.</summary>
    internal event Action<CommitRecord>? Published;

    /// <summary>Called when a commit names files that exist neither staged nor in place, nor were compacted: data lost.</summary>
    internal event Action<CommitRecord, IReadOnlyList<string>>? FilesMissing;

    public string Location => storage.Location;

    /// <param name="epoch">The writer's ownership of the partition, from <see cref="Recover(IReadOnlyCollection{int})"/>.</param>
    /// <returns>The commit, or null when another writer committed this sequence first (the batch is then discarded).</returns>
    public CommitRecord? Commit(int partition, long sequence, long firstOffset, long lastOffset, string lastRecordFingerprint, LandingRows rows, long epoch = 0)
    {
        OnStep?.Invoke(CommitStep.BeforeWrite);
        var stagingToken = TableFiles.StagingToken(epoch);
        var files = new List<string>();
        var temps = new List<string>();
        try
        {
            foreach (var file in rows.Files())
            {
                var path = TableFiles.RelativePath(file.Table, file.Dt, partition, sequence, firstOffset, lastOffset);
                var temp = TableFiles.TempPath(path, stagingToken);
                temps.Add(temp);
                if (file.Rejected is { } rejected)
                {
                    storage.Write(temp, stream => writer.WriteRejected(stream, rejected));
                }
                else
                {
                    storage.Write(temp, stream => writer.WriteEvents(stream, rows.Events, file.EventRows!));
                }

                files.Add(path);
                OnStep?.Invoke(CommitStep.DuringWrite);
            }

            OnStep?.Invoke(CommitStep.BeforeCommitRecord);
            var commit = new CommitRecord(partition, sequence, firstOffset, lastOffset, lastRecordFingerprint, stagingToken, files, clock.GetUtcNow(), epoch);
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
    /// Makes the lake consistent for partitions about to be consumed, and takes them over: finishes each one's latest
    /// commit, appends a takeover record after it, and deletes the staged files of older owners, which can no longer
    /// commit. Returns each partition's takeover, from which consumption resumes (its offsets are the latest commit's).
    /// </summary>
    public IReadOnlyDictionary<int, CommitRecord> Recover(IReadOnlyCollection<int> partitions)
    {
        var takeovers = partitions.ToDictionary(partition => partition, TakeOver);

        // One listing for all of them: in HDFS every folder listed is a request. A newer owner's files stay.
        foreach (var orphan in storage.ListFiles("", recursive: true).Where(path =>
            TableFiles.TempPartition(path) is { } partition && takeovers.TryGetValue(partition, out var takeover)
            && (TableFiles.TempEpoch(path) ?? -1) < takeover.Epoch))
        {
            storage.Delete(orphan);
        }

        foreach (var partition in partitions)
        {
            commitLog.DeleteTemps(partition);
        }

        return takeovers;
    }

    private CommitRecord TakeOver(int partition)
    {
        while (true)
        {
            var latest = commitLog.Latest(partition);
            if (latest is not null)
            {
                Publish(latest);
            }

            // Lost only to a writer that committed meanwhile: finish its commit too, and try after it.
            var takeover = CommitRecord.Takeover(partition, latest, clock.GetUtcNow());
            if (commitLog.TryAppend(takeover))
            {
                return takeover;
            }
        }
    }

    public CommitRecord Recover(int partition) => Recover([partition])[partition];

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
        List<string>? missing = null;
        foreach (var path in commit.Files)
        {
            var temp = TableFiles.TempPath(path, commit.StagingToken);
            if (storage.Exists(temp))
            {
                try
                {
                    storage.Rename(temp, path);
                }
                catch (IOException) when (!storage.Exists(temp) && storage.Exists(path))
                {
                    // A recovering owner published it at the same moment.
                }
            }
            else if (!storage.Exists(path) && !WasCompacted(path))
            {
                (missing ??= []).Add(path);
            }
        }

        if (missing is not null)
        {
            FilesMissing?.Invoke(commit, missing);
        }

        commitLog.Prune(commit.Partition);
        Published?.Invoke(commit);
    }

    /// <summary>Whether compaction has replaced the file: only then may a committed file be gone.</summary>
    private bool WasCompacted(string path) => CompactionState.Read(storage, path[..path.IndexOf('/')]).WasReplaced(path);

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
