using System.Collections.Concurrent;
using System.Diagnostics;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Lands batches of several partitions at once, each on a thread of its own from parsing to commit: each has its own
/// files and commit log, so their parsing, encoding and I/O overlap, and the consume thread only consumes.
/// </summary>
internal sealed class ParallelLanding(LakeCommitter committer, BatchParser parser, LandingTelemetry telemetry, IReadOnlyList<string> tables)
{
    private static readonly int MaxParallelCommits = Math.Max(2, Environment.ProcessorCount);

    // One set of rows per landing thread, reused: their buffers are the memory a batch takes while it lands.
    private readonly ConcurrentBag<LandingRows> _rows = [];

    public LandingOutcome[] Land(IReadOnlyList<PartitionBatch> batches)
    {
        var outcomes = new LandingOutcome[batches.Count];
        Parallel.For(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelCommits }, i =>
        {
            var started = Stopwatch.GetTimestamp();
            var rows = _rows.TryTake(out var reused) ? reused : new LandingRows(tables);
            try
            {
                parser.Parse(batches[i], rows);
                var commit = Commit(batches[i], rows);
                var duration = Stopwatch.GetElapsedTime(started);
                if (commit is not null)
                {
                    telemetry.RecordLanded(batches[i], rows, commit, duration);
                }

                outcomes[i] = new LandingOutcome(commit, null, duration, rows.Rejected.Count);
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                outcomes[i] = new LandingOutcome(null, fault, Stopwatch.GetElapsedTime(started), 0);
            }
            finally
            {
                rows.Clear();
                _rows.Add(rows);
            }
        });
        return outcomes;
    }

    private CommitRecord? Commit(PartitionBatch batch, LandingRows rows)
    {
        using var activity = telemetry.StartCommit(batch);
        var commit = committer.Commit(batch.Partition, batch.NextSequence, batch.FirstOffset, batch.LastOffset, batch.LastRecordFingerprint, rows, batch.Epoch);
        LandingTelemetry.EndCommit(activity, commit);
        return commit;
    }
}

/// <param name="Commit">The commit; null when another instance committed the sequence first (or with <paramref name="Fault"/>).</param>
/// <param name="Fault">A fault that passes, which kept the batch out of the lake.</param>
/// <param name="Rejected">How many of the batch's records were not valid events and landed in the rejected table.</param>
internal readonly record struct LandingOutcome(CommitRecord? Commit, Exception? Fault, TimeSpan Duration, int Rejected);
