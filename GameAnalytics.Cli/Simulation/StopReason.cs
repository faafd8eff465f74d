namespace GameAnalytics.Cli.Simulation;

internal enum StopReason
{
    /// <summary>Every round or event asked for was sent.</summary>
    Completed,

    /// <summary>--duration ran out.</summary>
    DurationReached,

    /// <summary>Ctrl+C.</summary>
    Interrupted,
}
