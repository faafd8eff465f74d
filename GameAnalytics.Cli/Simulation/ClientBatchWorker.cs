using System.Net;
using GameAnalytics.Client;

namespace GameAnalytics.Cli.Simulation;

/// <summary>
/// Sends batches through GameAnalytics.Client, as a game would: the library batches, retries (same event ids) and
/// spools; this worker tracks each unit's events and waits for them to settle. Without a spool folder a unit that
/// has not settled within the timeout fails (its events are dropped with the client); with one, unsent events wait
/// in the folder, as in a game.
/// </summary>
internal sealed class ClientBatchWorker : IRequestWorker
{
    private readonly SimulationSettings _settings;
    private readonly SimulationTarget _target;
    private readonly ITrafficPlan _plan;
    private readonly SimulationStats _stats;
    private readonly HttpMessageHandler _handler;
    private readonly string? _spool;
    // The sender may settle an event before Track's caller has recorded it: both sides hold this lock.
    private readonly Lock _pendingLock = new();
    private readonly Dictionary<Guid, Behaviour> _pending = [];
    private GameAnalyticsClient _client;
    private string _lastFailure = FailureCauses.Timeout;
    private string? _lastFailureExample;

    public ClientBatchWorker(SimulationSettings settings, SimulationTarget target, ITrafficPlan plan, SimulationStats stats, HttpMessageHandler handler, int worker)
    {
        _settings = settings;
        _target = target;
        _plan = plan;
        _stats = stats;
        _handler = handler;
        _spool = settings.Spool is { } spool ? Path.Combine(spool, $"worker-{worker}") : null;
        _client = CreateClient();
    }

    public async Task SendAsync(TrafficUnit unit, CancellationToken stopping)
    {
        lock (_pendingLock)
        {
            for (var i = 0; i < unit.Count; i++)
            {
                var simulated = _plan.EventAt(unit.FirstEvent + i);
                _stats.Sent(simulated.Behaviour, 1);
                _pending[_client.Track(simulated.Behaviour.EventType, _target.UserName(simulated.User))] = simulated.Behaviour;
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (_spool is null)
        {
            deadline.CancelAfter(_settings.Timeout);
        }

        try
        {
            await _client.FlushAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // Not settled in time: these events count as failed, and go with this client.
            foreach (var behaviour in TakePending())
            {
                _stats.Record(behaviour, Outcome.Failed);
                _stats.Cause(Outcome.Failed, _lastFailure, 1, _lastFailureExample);
            }

            await ReplaceAsync();
        }
        catch (OperationCanceledException)
        {
            lock (_pendingLock)
            {
                _stats.Stopped(_pending.Count);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Detach(_client);
        await _client.DisposeAsync();
    }

    private GameAnalyticsClient CreateClient()
    {
        var client = new GameAnalyticsClient(new GameAnalyticsClientOptions
        {
            CollectorUri = _settings.Collector,
            WriteKey = _settings.WriteKey,
            BatchSize = _plan.BatchSize,
            // The worker flushes each unit itself.
            FlushInterval = TimeSpan.FromHours(1),
            SpoolDirectory = _spool,
            RequestTimeout = _settings.Timeout,
            FirstRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            DisposeTimeout = TimeSpan.Zero,
            HttpMessageHandler = _handler,
        });
        client.Delivered += OnDelivered;
        client.Rejected += OnRejected;
        client.SendFailed += OnSendFailed;
        return client;
    }

    private async Task ReplaceAsync()
    {
        Detach(_client);
        await _client.DisposeAsync();
        _client = CreateClient();
    }

    private void Detach(GameAnalyticsClient client)
    {
        client.Delivered -= OnDelivered;
        client.Rejected -= OnRejected;
        client.SendFailed -= OnSendFailed;
    }

    private void OnDelivered(object? sender, EventsDeliveredEventArgs delivered)
    {
        _stats.Answered(delivered.Elapsed);
        lock (_pendingLock)
        {
            foreach (var sent in delivered.Events)
            {
                if (_pending.Remove(sent.EventId, out var behaviour))
                {
                    _stats.Record(behaviour, Outcome.Accepted);
                }
            }
        }
    }

    private void OnRejected(object? sender, EventRejectedEventArgs rejected)
    {
        // Only this run's events count: a spool folder may hold an earlier run's too.
        Behaviour? behaviour;
        lock (_pendingLock)
        {
            if (!_pending.Remove(rejected.Event.EventId, out behaviour))
            {
                return;
            }
        }

        _stats.Record(behaviour, Outcome.Rejected);

        var cause = rejected.Status == HttpStatusCode.Accepted ? FailureCauses.EventRejected : FailureCauses.Status((int)rejected.Status);
        _stats.Cause(Outcome.Rejected, cause, 1, rejected.Reason);
    }

    private void OnSendFailed(object? sender, SendFailedEventArgs failed)
    {
        if (failed.Status is { } status)
        {
            _stats.Answered(failed.Elapsed);
            _lastFailure = FailureCauses.Status((int)status);
        }
        else
        {
            var (cause, unreachable) = failed.Exception is { } exception ? FailureCauses.Classify(exception) : (FailureCauses.Timeout, false);
            _stats.Unanswered(unreachable);
            _lastFailure = cause;
        }

        _lastFailureExample = failed.Problem;
    }

    private List<Behaviour> TakePending()
    {
        lock (_pendingLock)
        {
            var taken = _pending.Values.ToList();
            _pending.Clear();
            return taken;
        }
    }
}
