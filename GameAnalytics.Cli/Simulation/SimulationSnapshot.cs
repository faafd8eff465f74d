namespace GameAnalytics.Cli.Simulation;

/// <summary>The counters at one moment, for the progress display and the summary.</summary>
internal sealed record SimulationSnapshot(
    TimeSpan Elapsed,
    long Requests,
    long Responses,
    long UnreachableRequests,
    long StoppedEvents,
    IReadOnlyList<BehaviourCounts> ByBehaviour,
    IReadOnlyList<CauseCount> Causes,
    TimeSpan P50,
    TimeSpan P90,
    TimeSpan P99,
    TimeSpan Max)
{
    public long Sent => ByBehaviour.Sum(b => b.Sent);

    public long Accepted => ByBehaviour.Sum(b => b.Accepted);

    public long Rejected => ByBehaviour.Sum(b => b.Rejected);

    public long Failed => ByBehaviour.Sum(b => b.Failed);

    public long Completed => Accepted + Rejected + Failed;

    /// <summary>Events sent whose answer has not come yet.</summary>
    public long InFlight => Math.Max(0, Sent - Completed - StoppedEvents);

    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? Completed / Elapsed.TotalSeconds : 0;

    /// <summary>Every request ended without a connection: the collector is down or the address is wrong.</summary>
    public bool CollectorUnreachable => Requests > 0 && UnreachableRequests == Requests;
}

internal sealed record BehaviourCounts(string EventType, long Sent, long Accepted, long Rejected, long Failed);

internal sealed record CauseCount(string Cause, Outcome Outcome, long Count, string? Example);
