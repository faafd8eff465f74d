namespace GameAnalytics.Cli.Simulation;

/// <summary>What became of an event: stored, refused as invalid (4xx), or lost to an error (5xx, timeout, connection).</summary>
internal enum Outcome
{
    Accepted,
    Rejected,
    Failed,
}
