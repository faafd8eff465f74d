namespace GameAnalytics.Cli.Simulation;

/// <summary>Sends the plan's units for one connection and accounts for every event in them.</summary>
internal interface IRequestWorker : IAsyncDisposable
{
    /// <param name="stopping">Cancelled when the user stops the run and the grace for requests in flight is over.</param>
    Task SendAsync(TrafficUnit unit, CancellationToken stopping);
}
