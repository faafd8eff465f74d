using System.Collections.Concurrent;
using System.Security.Cryptography;
using GameAnalytics.Query.Protocol;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Engine;

/// <summary>The queries in flight, by id; those no client asked about for a while are cancelled and forgotten.</summary>
internal sealed class QueryManager(LakeTables tables, IOptions<QueryOptions> options, TimeProvider clock) : IDisposable
{
    // Presto's query ids end in the coordinator's id, five characters of its base-32 alphabet.
    private const string CoordinatorAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private readonly string _coordinator = RandomNumberGenerator.GetString(CoordinatorAlphabet, 5);
    private readonly ConcurrentDictionary<string, TrackedQuery> _queries = new();
    private int _sequence;

    public TrackedQuery Start(string sql, ClientSession client)
    {
        Sweep();
        var now = clock.GetUtcNow();
        var id = $"{now:yyyyMMdd_HHmmss}_{Interlocked.Increment(ref _sequence) % 100_000:D5}_{_coordinator}";
        // Only the client that started a query knows its slug; every URI of the query carries it.
        var slug = "y" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var query = new TrackedQuery(new QueryExecution(id, sql, client, tables, options.Value), slug) { LastAccess = now };
        _queries[id] = query;
        return query;
    }

    public TrackedQuery? Find(string id, string? slug = null)
    {
        if (!_queries.TryGetValue(id, out var query) || (slug is not null && !CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(slug), System.Text.Encoding.ASCII.GetBytes(query.Slug))))
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

/// <summary>A query and the paging state of its client: the slug in its URIs, the next token, and the last answer for a retried request.</summary>
internal sealed class TrackedQuery(QueryExecution execution, string slug)
{
    public QueryExecution Execution { get; } = execution;

    public string Slug { get; } = slug;

    public DateTimeOffset LastAccess { get; set; }

    public long NextToken { get; set; }

    public QueryResults? LastAnswer { get; set; }

    public SemaphoreSlim Lock { get; } = new(1, 1);
}
