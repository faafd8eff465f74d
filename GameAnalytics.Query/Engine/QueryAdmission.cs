using GameAnalytics.Query.Protocol;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// The cap on queries that run at once: the next ones wait in arrival order, and past the queue's length a
/// query fails at once with QUERY_QUEUE_FULL. DuckDB's memory and threads are shared, so this bounds each query's share.
/// </summary>
internal sealed class QueryAdmission(IOptions<QueryOptions> options)
{
    private readonly SemaphoreSlim _running = new(options.Value.MaxConcurrentQueries, options.Value.MaxConcurrentQueries);
    private int _waiting;

    public int Waiting => Volatile.Read(ref _waiting);

    public async Task<Ticket> EnterAsync(CancellationToken cancellationToken)
    {
        if (_running.Wait(0))
        {
            return new Ticket(_running);
        }

        if (Interlocked.Increment(ref _waiting) > options.Value.MaxQueuedQueries)
        {
            Interlocked.Decrement(ref _waiting);
            throw new QueryException($"Too many queued queries: {options.Value.MaxQueuedQueries} wait already (Query:MaxQueuedQueries)", PrestoError.QueryQueueFull);
        }

        try
        {
            await _running.WaitAsync(cancellationToken);
            return new Ticket(_running);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>A running query's place; disposing it lets the next one in.</summary>
    public sealed class Ticket(SemaphoreSlim running) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                running.Release();
            }
        }
    }
}
