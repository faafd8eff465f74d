namespace GameAnalytics.Cli.Simulation;

/// <summary>
/// One worker per connection, each taking the plan's next request and waiting only if it is early: the schedule
/// paces the run, so a slow answer delays one worker, not the rate.
/// </summary>
internal sealed class LoadRunner(ITrafficPlan plan, Func<IRequestWorker> createWorker, SimulationStats stats, int connections, TimeSpan? duration)
{
    /// <summary>How long requests in flight at Ctrl+C may still finish: long enough for most answers, short enough to feel prompt.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private long _nextUnit = -1;
    private volatile bool _durationReached;

    public async Task<StopReason> RunAsync(CancellationToken interrupt)
    {
        using var requests = new CancellationTokenSource();
        using (interrupt.Register(() => requests.CancelAfter(StopGrace)))
        {
            var workers = new Task[connections];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkAsync(interrupt, requests.Token), CancellationToken.None);
            }

            await Task.WhenAll(workers);
        }

        return interrupt.IsCancellationRequested ? StopReason.Interrupted
            : _durationReached ? StopReason.DurationReached
            : StopReason.Completed;
    }

    private async Task WorkAsync(CancellationToken interrupt, CancellationToken requests)
    {
        await using var worker = createWorker();
        while (!interrupt.IsCancellationRequested)
        {
            if (!plan.TryGetUnit(Interlocked.Increment(ref _nextUnit), out var unit))
            {
                return;
            }

            if (unit.Due >= duration || stats.Elapsed >= duration)
            {
                _durationReached = true;
                return;
            }

            var wait = unit.Due - stats.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, interrupt);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            await worker.SendAsync(unit, requests);
        }
    }
}
