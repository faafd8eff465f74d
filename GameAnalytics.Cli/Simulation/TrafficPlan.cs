namespace GameAnalytics.Cli.Simulation;

/// <summary>One request's worth of events: events <see cref="FirstEvent"/> onwards, due <see cref="Due"/> after the start.</summary>
internal readonly record struct TrafficUnit(long FirstEvent, int Count, TimeSpan Due);

/// <summary>One event: who does what.</summary>
internal readonly record struct SimulatedEvent(int User, Behaviour Behaviour);

/// <summary>
/// What to send and when, as pure functions of a sequence number, so that workers share no state but a counter
/// and a run is the same every time.
/// </summary>
internal interface ITrafficPlan
{
    /// <summary>The scenario's name in summaries: <c>original</c> or <c>mix</c>.</summary>
    string Scenario { get; }

    /// <summary>Events per request; 1 sends each event alone to its original route.</summary>
    int BatchSize { get; }

    /// <summary>The <paramref name="number"/>th request, or false once the plan has no more.</summary>
    bool TryGetUnit(long number, out TrafficUnit unit);

    SimulatedEvent EventAt(long index);
}
