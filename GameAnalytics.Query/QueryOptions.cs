namespace GameAnalytics.Query;

public sealed class QueryOptions
{
    public const string SectionName = "Query";

    /// <summary>A query still running after this, paging included, is cancelled and fails with EXCEEDED_TIME_LIMIT.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per page of results: a client follows nextUri for the rest.</summary>
    public int PageRows { get; set; } = 1000;

    /// <summary>A query no client asked about for this long is cancelled, its memory released, and forgotten.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>DuckDB's memory limit for all queries together (<c>memory_limit</c>); past it, operators spill to <see cref="TempDirectory"/>.</summary>
    public string MemoryLimit { get; set; } = "1GB";

    /// <summary>DuckDB's threads for all queries together; by default one per core.</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Where DuckDB spills; by default a folder under the system's temporary folder.</summary>
    public string TempDirectory { get; set; } = "";

    /// <summary>The most the spill folder may hold (<c>max_temp_directory_size</c>); a query that needs more fails.</summary>
    public string MaxTempDirectorySize { get; set; } = "4GB";

    /// <summary>Queries that run at once; the next ones wait, QUEUED, in arrival order.</summary>
    public int MaxConcurrentQueries { get; set; } = 4;

    /// <summary>Queries that may wait; past them, a query fails at once with QUERY_QUEUE_FULL.</summary>
    public int MaxQueuedQueries { get; set; } = 100;

    /// <summary>
    /// Users and their password hashes (<c>gamectl hash-password</c>). When there are any, every request but the
    /// health checks needs HTTP Basic credentials of one of them; without, the user header alone is enough.
    /// Configured as a section (<c>Query:Users:alice</c>) or as one value of <c>user:hash</c> lines, for a secret.
    /// </summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The longest SQL text a query may have, in characters (Presto's <c>query.max-length</c> default).</summary>
    public int MaxSqlLength { get; set; } = 1_000_000;
}
