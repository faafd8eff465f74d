using System.Collections.Concurrent;
using System.Security.Cryptography;
using GameAnalytics.Query.Protocol;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Engine;

/// <summary>The queries in flight, by id; those no client asked about for a while are cancelled and forgotten.</summary>
internal sealed class QueryManager : IDisposable
{
    // Presto's query ids end in the coordinator's id, five characters of its base-32 alphabet.
    private const string CoordinatorAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private readonly string _coordinator = RandomNumberGenerator.GetString(CoordinatorAlphabet, 5);
    private readonly ConcurrentDictionary<string, TrackedQuery> _queries = new();
    private readonly LakeDatabase _database;
    private readonly QueryAdmission _admission;
    private readonly IOptions<QueryOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ITimer _sweeper;
    private int _sequence;

    public QueryManager(LakeDatabase database, QueryAdmission admission, IOptions<QueryOptions> options, TimeProvider clock)
    {
        _database = database;
        _admission = admission;
        _options = options;
        _clock = clock;
        // Abandoned queries hold a connection and a place among the running ones: look for them even when no query comes.
        var period = TimeSpan.FromTicks(Math.Clamp(options.Value.AbandonedAfter.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        _sweeper = clock.CreateTimer(_ => Sweep(), null, period, period);
    }

    public TrackedQuery Start(string sql, ClientSession client)
    {
        Sweep();
        var now = _clock.GetUtcNow();
        var id = $"{now:yyyyMMdd_HHmmss}_{Interlocked.Increment(ref _sequence) % 100_000:D5}_{_coordinator}";
        // Only the client that started a query knows its slug; every URI of the query carries it.
        var slug = "y" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var query = new TrackedQuery(new QueryExecution(id, sql, client, _database, _admission, _options.Value), slug) { LastAccess = now };
        _queries[id] = query;
        return query;
    }

    /// <summary>A query its client polls: finding it counts as the client's sign of life. A cancelled query has no more answers.</summary>
    public TrackedQuery? Find(string id, string? slug = null)
    {
        if (!_queries.TryGetValue(id, out var query) || query.Canceled || (slug is not null && !CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(slug), System.Text.Encoding.ASCII.GetBytes(query.Slug))))
        {
            return null;
        }

        query.LastAccess = _clock.GetUtcNow();
        return query;
    }

    /// <summary>A query, for its info: looking does not keep an abandoned query alive.</summary>
    public TrackedQuery? Peek(string id) => _queries.GetValueOrDefault(id);

    /// <summary>
    /// Cancels the query. Its info (<c>/v1/query/{id}</c>) stays, FAILED with USER_CANCELED, until it is swept like an
    /// abandoned one, as Presto keeps it: a client can still read how its query ended.
    /// </summary>
    public bool Cancel(string id)
    {
        if (!_queries.TryGetValue(id, out var query) || query.Canceled)
        {
            return false;
        }

        query.Canceled = true;
        query.Execution.Cancel();
        return true;
    }

    private void Sweep()
    {
        var cutoff = _clock.GetUtcNow() - _options.Value.AbandonedAfter;
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
        _sweeper.Dispose();
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

    public bool Canceled { get; set; }

    public long NextToken { get; set; }

    public QueryResults? LastAnswer { get; set; }

    public SemaphoreSlim Lock { get; } = new(1, 1);
}
