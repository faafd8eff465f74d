using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Engine;

/// <summary>The queries in flight, by id; those no client asked about for a while are cancelled and forgotten.</summary>
internal sealed class QueryManager(LakeTables tables, IOptions<QueryOptions> options, TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<string, TrackedQuery> _queries = new();
    private int _sequence;

    public QueryExecution Start(string sql)
    {
        Sweep();
        var now = clock.GetUtcNow();
        var id = $"{now:yyyyMMdd_HHmmss}_{Interlocked.Increment(ref _sequence) % 100_000:D5}_{Random.Shared.Next(0x10000, 0xFFFFF):x5}";
        var execution = new QueryExecution(id, sql, tables, options.Value);
        _queries[id] = new TrackedQuery(execution) { LastAccess = now };
        return execution;
    }

    public TrackedQuery? Find(string id)
    {
        if (!_queries.TryGetValue(id, out var query))
        {
            return null;
        }

        query.LastAccess = clock.GetUtcNow();
        return query;
    }

    public bool Cancel(string id)
    {
        if (!_queries.TryRemove(id, out var query))
        {
            return false;
        }

        query.Execution.Cancel();
        return true;
    }

    private void Sweep()
    {
        var cutoff = clock.GetUtcNow() - options.Value.AbandonedAfter;
        foreach (var (id, query) in _queries)
        {
            if (query.LastAccess < cutoff && _queries.TryRemove(id, out _))
            {
                query.Execution.Cancel();
            }
        }
    }

    public void Dispose()
    {
        foreach (var query in _queries.Values)
        {
            query.Execution.Cancel();
        }
    }
}

/// <summary>A query and the paging state of its client: the next token, and the last answer for a retried request.</summary>
internal sealed class TrackedQuery(QueryExecution execution)
{
    public QueryExecution Execution { get; } = execution;

    public DateTimeOffset LastAccess { get; set; }

    public long NextToken { get; set; }

    public object? LastAnswer { get; set; }

    public SemaphoreSlim Lock { get; } = new(1, 1);
}
