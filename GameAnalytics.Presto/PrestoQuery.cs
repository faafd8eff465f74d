namespace GameAnalytics.Presto;

/// <summary>One query: enumerate it to run it and stream its rows.</summary>
public sealed class PrestoQuery : IAsyncEnumerable<PrestoRow>
{
    private readonly PrestoClient _client;
    private readonly string _sql;

    internal PrestoQuery(PrestoClient client, string sql)
    {
        _client = client;
        _sql = sql;
    }

    /// <summary>The server's id for the query, once it has answered.</summary>
    public string Id { get; internal set; } = "";

    /// <summary>The result's columns, once the server has named them (also for an empty result).</summary>
    public IReadOnlyList<PrestoColumn> Columns { get; internal set; } = [];

    public IAsyncEnumerator<PrestoRow> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _client.RunAsync(_sql, this, cancellationToken).GetAsyncEnumerator(cancellationToken);
}
