using System.Collections.Concurrent;
using System.Diagnostics;

namespace GameAnalytics.Cli.Simulation;

/// <summary>The run's counters, shared by every worker and read by the progress display; lock-free on the success path.</summary>
internal sealed class SimulationStats
{
    // Causes carry text from the collector; a cap keeps a misbehaving server from growing the table without end.
    private const int MaxCauses = 64;
    private const string OtherCauses = "other causes (too many distinct ones to list)";

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long[] _sent = new long[Behaviour.All.Count];
    private readonly long[][] _outcomes = [new long[Behaviour.All.Count], new long[Behaviour.All.Count], new long[Behaviour.All.Count]];
    private readonly ConcurrentDictionary<(Outcome, string), CauseCounter> _causes = new();
    private long _requests;
    private long _responses;
    private long _unreachable;
    private long _stopped;

    public LatencyHistogram Latency { get; } = new();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public void Sent(Behaviour behaviour, int count) => Interlocked.Add(ref _sent[behaviour.Index], count);

    public void Record(Behaviour behaviour, Outcome outcome, int count = 1) => Interlocked.Add(ref _outcomes[(int)outcome][behaviour.Index], count);

    public void Cause(Outcome outcome, string cause, long count, string? example = null)
    {
        if (!_causes.ContainsKey((outcome, cause)) && _causes.Count >= MaxCauses)
        {
            cause = OtherCauses;
        }

        var counter = _causes.GetOrAdd((outcome, cause), _ => new CauseCounter());
        Interlocked.Add(ref counter.Count, count);
        if (example is not null)
        {
            Interlocked.CompareExchange(ref counter.Example, example, null);
        }
    }

    /// <summary>A request that got an HTTP answer, whatever its status.</summary>
    public void Answered(TimeSpan latency)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _responses);
        Latency.Record(latency);
    }

    /// <summary>A request that got no answer; <paramref name="unreachable"/> when no connection could be made at all.</summary>
    public void Unanswered(bool unreachable)
    {
        Interlocked.Increment(ref _requests);
        if (unreachable)
        {
            Interlocked.Increment(ref _unreachable);
        }
    }

    /// <summary>Events whose request was cut short by Ctrl+C: their fate is unknown, so they count as neither stored nor lost.</summary>
    public void Stopped(int events) => Interlocked.Add(ref _stopped, events);

    public SimulationSnapshot Snapshot()
    {
        var byBehaviour = Behaviour.All
            .Select(b => new BehaviourCounts(
                b.EventType,
                Volatile.Read(ref _sent[b.Index]),
                Volatile.Read(ref _outcomes[(int)Outcome.Accepted][b.Index]),
                Volatile.Read(ref _outcomes[(int)Outcome.Rejected][b.Index]),
                Volatile.Read(ref _outcomes[(int)Outcome.Failed][b.Index])))
            .ToList();
        var causes = _causes
            .Select(pair => new CauseCount(pair.Key.Item2, pair.Key.Item1, Volatile.Read(ref pair.Value.Count), pair.Value.Example))
            .OrderBy(c => c.Outcome).ThenByDescending(c => c.Count).ThenBy(c => c.Cause, StringComparer.Ordinal)
            .ToList();
        return new SimulationSnapshot(
            Elapsed,
            Volatile.Read(ref _requests),
            Volatile.Read(ref _responses),
            Volatile.Read(ref _unreachable),
            Volatile.Read(ref _stopped),
            byBehaviour,
            causes,
            Latency.Percentile(50),
            Latency.Percentile(90),
            Latency.Percentile(99),
            Latency.Max);
    }

    private sealed class CauseCounter
    {
        public long Count;
        public string? Example;
    }
}
