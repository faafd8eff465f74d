using System.Diagnostics;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>Lands batches of several partitions at once: each has its own files and commit log, so their I/O overlaps.</summary>
internal sealed class ParallelLanding(LakeCommitter committer, LandingTelemetry telemetry)
{
    private static readonly int MaxParallelCommits = Math.Max(2, Environment.ProcessorCount);

    public LandingOutcome[] Land(IReadOnlyList<PartitionBatch> batches)
    {
        var outcomes = new LandingOutcome[batches.Count];
        Parallel.For(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelCommits }, i =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                outcomes[i] = new LandingOutcome(Commit(batches[i]), null, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                outcomes[i] = new LandingOutcome(null, fault, Stopwatch.GetElapsedTime(started));
            }
        });
        return outcomes;
    }

    private CommitRecord? Commit(PartitionBatch batch)
    {
        using var activity = telemetry.StartCommit(batch);
        var commit = committer.Commit(batch.Partition, batch.NextSequence, batch.FirstOffset, batch.LastOffset, RecordFingerprint.Of(batch.LastValue), batch.Records, batch.Epoch);
        LandingTelemetry.EndCommit(activity, commit);
        return commit;
    }
}

/// <param name="Commit">The commit; null when another instance committed the sequence first (or with <paramref name="Fault"/>).</param>
/// <param name="Fault">A fault that passes, which kept the batch out of the lake.</param>
internal readonly record struct LandingOutcome(CommitRecord? Commit, Exception? Fault, TimeSpan Duration);
