using System.Collections.Concurrent;
using System.Net;
using GameAnalytics.Client.Delivery;
using GameAnalytics.Client.Spooling;
using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Client;

/// <summary>
/// Sends a game's events to a GameAnalytics collector. <see cref="Track"/> returns at once from any thread; one
/// background sender batches the events, retries what the collector did not store (same ids, so each lands once),
/// and keeps what it could not send in a bounded spool, on disk when <see cref="GameAnalyticsClientOptions.SpoolDirectory"/>
/// is set. Its events (<see cref="Delivered"/>, <see cref="Rejected"/>, <see cref="Dropped"/>, <see cref="SendFailed"/>)
/// are raised on that sender's thread, not the game's main thread (<see cref="Dropped"/> also on a thread that tracks,
/// when it finds the queue full).
/// </summary>
public sealed class GameAnalyticsClient : IDisposable, IAsyncDisposable
{
    /// <summary>How often events tracked during a request are written to the spool folder.</summary>
    private static readonly TimeSpan SpoolingInterval = TimeSpan.FromMilliseconds(100);

    private readonly GameAnalyticsClientOptions _options;
    private readonly ConcurrentQueue<TrackedEvent> _queue = new();
    // At most one wake-up is held: one taken after the loop looked at its state only costs an extra turn.
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly object _flushesLock = new();
    private readonly List<(long Target, TaskCompletionSource<bool> Done)> _flushes = [];
    private readonly HttpClient _http;
    private readonly CollectorSender _sender;
    private readonly RetryDelays _delays;
    private readonly EventSpool _spool;
    private readonly Task _loop;
    private long _tracked;
    private long _settled;
    private long _queuedBytes;
    private long _dropped;
    private int _flushRequested;
    private int _disposed;

    /// <summary>A client of the collector at <paramref name="collector"/>, in memory mode, with the default options.</summary>
    public GameAnalyticsClient(Uri collector, string? writeKey = null)
        : this(new GameAnalyticsClientOptions { CollectorUri = collector, WriteKey = writeKey })
    {
    }

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="IOException">The spool folder cannot be created, or another client is using it.</exception>
    public GameAnalyticsClient(GameAnalyticsClientOptions options)
    {
        options.Validate();
        _options = options;
        _spool = new EventSpool(
            options.SpoolDirectory is null ? new MemorySpoolStore() : new DirectorySpoolStore(options.SpoolDirectory),
            options.BatchSize,
            options.MaxSpoolBytes);

        // Events a previous run left are this client's to send, and FlushAsync waits for them too.
        _tracked = _spool.Count;
        _dropped = _spool.Unreadable;
        _http = options.HttpMessageHandler is null ? new HttpClient() : new HttpClient(options.HttpMessageHandler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _sender = new CollectorSender(_http, options.CollectorUri!, options.WriteKey, options.RequestTimeout);
        _delays = new RetryDelays(options.FirstRetryDelay, options.MaxRetryDelay);
        _loop = Task.Run(SendLoopAsync);
    }

    /// <summary>The collector stored these events.</summary>
    public event EventHandler<EventsDeliveredEventArgs>? Delivered;

    /// <summary>The collector refused an event for good, with its reason.</summary>
    public event EventHandler<EventRejectedEventArgs>? Rejected;

    /// <summary>Events were dropped without reaching the collector (a full spool, a disposed memory-mode client).</summary>
    public event EventHandler<EventsDroppedEventArgs>? Dropped;

    /// <summary>A send failed; the events wait in the spool for the retry.</summary>
    public event EventHandler<SendFailedEventArgs>? SendFailed;

    /// <summary>Events tracked (or left by an earlier run) and not yet delivered, rejected or dropped.</summary>
    public long PendingEvents => Math.Max(0, Interlocked.Read(ref _tracked) - Interlocked.Read(ref _settled));

    /// <summary>Events dropped since this client started, whatever the reason.</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Records an event now: its <c>event_id</c> (a UUIDv7, returned) and <c>client_time</c> are fixed here and kept
    /// across every retry. Returns at once; never throws for network trouble.
    /// </summary>
    /// <param name="eventType">A type from the collector's event catalog, for example <c>purchase_sword</c>.</param>
    /// <param name="userId">The player.</param>
    /// <param name="properties">Game data, written as a JSON object now (later changes to the dictionary are not sent).</param>
    /// <exception cref="ArgumentException">No event type, or properties that cannot be written as JSON.</exception>
    public Guid Track(string eventType, string? userId = null, IReadOnlyDictionary<string, object?>? properties = null)
    {
        if (string.IsNullOrWhiteSpace(eventType))
        {
            throw new ArgumentException("An event needs its type, for example purchase_sword.", nameof(eventType));
        }

        var tracked = TrackedEvent.Create(eventType, userId, properties, DateTimeOffset.UtcNow);
        if (Volatile.Read(ref _disposed) != 0)
        {
            // A game that quits may track after disposing: count it rather than throw at the player.
            Interlocked.Increment(ref _dropped);
            Raise(Dropped, new EventsDroppedEventArgs(1, DropReason.Disposed));
            return tracked.Id;
        }

        // Counted once queued, so a flush never waits for an event the sender cannot see yet.
        _queue.Enqueue(tracked);
        Interlocked.Increment(ref _tracked);
        var queued = Interlocked.Add(ref _queuedBytes, Size(tracked));
        var dropped = 0;
        while (queued > _options.MaxSpoolBytes && _queue.TryDequeue(out var oldest))
        {
            // The sender is busy with a long request: until it takes them, the queue keeps the spool's bound too.
            queued = Interlocked.Add(ref _queuedBytes, -Size(oldest));
            dropped++;
        }

        if (dropped > 0)
        {
            Drop(dropped, DropReason.SpoolFull);
        }

        // A full batch is sent at once; with a spool folder, the first event after a pause is written to it at once.
        if (_queue.Count >= _options.BatchSize || (_options.SpoolDirectory is not null && queued == Size(tracked)))
        {
            Wake();
        }

        return tracked.Id;
    }

    /// <summary>
    /// Completes once every event tracked before the call is delivered, rejected or dropped. While the collector is
    /// unreachable that can take long: pass a token to stop waiting (the events stay queued).
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _tracked);
        if (Interlocked.Read(ref _settled) >= target)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushesLock)
        {
            _flushes.Add((target, done));
        }

        Interlocked.Exchange(ref _flushRequested, 1);
        Wake();
        if (!cancellationToken.CanBeCanceled)
        {
            return done.Task;
        }

        var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        return done.Task.ContinueWith(
            finished =>
            {
                registration.Dispose();
                return finished;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Sends what it can within <see cref="GameAnalyticsClientOptions.DisposeTimeout"/>, then stops. Unsent events stay
    /// in the spool folder for the next client, or are dropped (and reported) in memory mode.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(_options.DisposeTimeout))
        {
            try
            {
                await FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // What is left is kept or reported below.
            }
        }

        _stopping.Cancel();
        _abort.Cancel();
        Wake();
        await _loop.ConfigureAwait(false);

        // A Track on another thread may have queued its event after the sender's last turn: spool or report it too.
        MoveQueueToSpool();
        if (_options.SpoolDirectory is null && _spool.Count > 0)
        {
            Drop(_spool.Count, DropReason.Disposed);
        }

        _spool.Dispose();
        _http.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
        _wake.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking the caller for at most the dispose timeout and a request's.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SendLoopAsync()
    {
        if (_spool.Unreadable > 0)
        {
            Raise(Dropped, new EventsDroppedEventArgs(_spool.Unreadable, DropReason.Unreadable));
        }

        var attempt = 0;
        var retryAt = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                // The request first: every event a flush waits for was queued before it, so the move below takes them all.
                var flushRequested = Interlocked.Exchange(ref _flushRequested, 0) == 1;
                MoveQueueToSpool();
                var now = DateTimeOffset.UtcNow;
                if (flushRequested || now - (_spool.OpenSince ?? now) >= _options.FlushInterval)
                {
                    _spool.Seal();
                }

                CompleteFlushes();
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                var batch = retryAt > now ? null : _spool.Oldest;
                if (batch is null)
                {
                    await WaitAsync(retryAt > now ? retryAt - now : _options.FlushInterval - (now - (_spool.OpenSince ?? now))).ConfigureAwait(false);
                    continue;
                }

                var outcome = await SendAsync(batch).ConfigureAwait(false);
                Settle(batch, outcome);
                if (outcome.Retry.Count == 0)
                {
                    attempt = 0;
                    retryAt = DateTimeOffset.MinValue;
                    continue;
                }

                var delay = _delays.Next(++attempt, outcome.RetryAfter);
                retryAt = DateTimeOffset.UtcNow + delay;
                Raise(SendFailed, new SendFailedEventArgs(outcome.Retry.Count, outcome.Status, outcome.Problem ?? "failed", outcome.Exception, delay, attempt, outcome.Elapsed));
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                MoveQueueToSpool();
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The spool folder failed (a full disk, a permission): report it, wait, try again.
                var delay = _delays.Next(++attempt, null);
                retryAt = DateTimeOffset.UtcNow + delay;
                Raise(SendFailed, new SendFailedEventArgs(_spool.Count, null, $"the spool folder failed: {ex.Message}", ex, delay, attempt, TimeSpan.Zero));
                await WaitAsync(delay).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sends a batch. With a spool folder, events tracked meanwhile go on reaching it: a request can hang for its whole
    /// timeout, and a game killed then must not lose what it tracked in that time.
    /// </summary>
    private async Task<SendOutcome> SendAsync(SpooledBatch batch)
    {
        _spool.Sending = batch;
        try
        {
            var sending = _sender.SendAsync(batch.Events.ToList(), _abort.Token);
            while (_options.SpoolDirectory is not null && !sending.IsCompleted)
            {
                await Task.WhenAny(sending, Task.Delay(SpoolingInterval, _abort.Token)).ConfigureAwait(false);
                MoveQueueToSpool();
            }

            return await sending.ConfigureAwait(false);
        }
        finally
        {
            _spool.Sending = null;
        }
    }

    private void Settle(SpooledBatch batch, SendOutcome outcome)
    {
        _spool.Keep(batch, outcome.Retry);
        Interlocked.Add(ref _settled, outcome.Accepted.Count + outcome.Rejected.Count);
        if (outcome.Accepted.Count > 0)
        {
            Raise(Delivered, new EventsDeliveredEventArgs(outcome.Accepted.Select(Sent).ToList(), outcome.Elapsed));
        }

        foreach (var (rejected, reason) in outcome.Rejected)
        {
            Raise(Rejected, new EventRejectedEventArgs(Sent(rejected), outcome.Status ?? HttpStatusCode.BadRequest, reason));
        }
    }

    private void MoveQueueToSpool()
    {
        var moved = new List<TrackedEvent>();
        while (_queue.TryDequeue(out var tracked))
        {
            Interlocked.Add(ref _queuedBytes, -Size(tracked));
            moved.Add(tracked);
        }

        if (moved.Count > 0 && _spool.Add(moved, DateTimeOffset.UtcNow) is { Count: > 0 } dropped)
        {
            Drop(dropped.Count, DropReason.SpoolFull);
        }
    }

    private void CompleteFlushes()
    {
        var settled = Interlocked.Read(ref _settled);
        lock (_flushesLock)
        {
            _flushes.RemoveAll(flush =>
            {
                if (flush.Target <= settled)
                {
                    flush.Done.TrySetResult(true);
                }

                return flush.Done.Task.IsCompleted;
            });
        }
    }

    private async Task WaitAsync(TimeSpan wait)
    {
        try
        {
            await _wake.WaitAsync(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop sees it.
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another thread woke it meanwhile.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nothing left to wake.
        }
    }

    private void Drop(int count, DropReason reason)
    {
        Interlocked.Add(ref _dropped, count);
        Interlocked.Add(ref _settled, count);
        Raise(Dropped, new EventsDroppedEventArgs(count, reason));
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception)
        {
            // A game's handler that throws must not stop its analytics.
        }
    }

    private static SentEvent Sent(TrackedEvent tracked) => new(tracked.Id, tracked.EventType);

    private static long Size(TrackedEvent tracked) => tracked.Json.Length + 1;
}
