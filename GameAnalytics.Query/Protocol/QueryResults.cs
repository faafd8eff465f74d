namespace GameAnalytics.Query.Protocol;

/// <summary>
/// Presto's client protocol answer, one per request of a query (camelCase JSON; absent fields are left out).
/// The POST's answer is QUEUED with a <c>nextUri</c> and nothing else; columns, data and the final stats come
/// from the GETs that follow, and the last answer has no <c>nextUri</c>.
/// </summary>
public sealed record QueryResults(
    string Id,
    Uri InfoUri,
    Uri? PartialCancelUri,
    Uri? NextUri,
    IReadOnlyList<Column>? Columns,
    IReadOnlyList<object?[]>? Data,
    StatementStats Stats,
    QueryError? Error,
    IReadOnlyList<QueryWarning> Warnings,
    string? UpdateType = null,
    long? UpdateCount = null);

public sealed record Column(string Name, string Type, TypeSignature TypeSignature)
{
    public static Column Of(string name, PrestoType type, SqlDialect dialect) => new(name, type.Display(dialect), TypeSignature.Of(type, dialect));
}

/// <summary>The fields of Presto's and Trino's StatementStats that a single engine can say truly.</summary>
public sealed record StatementStats(
    QueryState State,
    bool Queued,
    bool Scheduled,
    int Nodes,
    int TotalSplits,
    int QueuedSplits,
    int RunningSplits,
    int CompletedSplits,
    long CpuTimeMillis,
    long WallTimeMillis,
    long QueuedTimeMillis,
    long ElapsedTimeMillis,
    long ProcessedRows,
    long ProcessedBytes,
    long PeakMemoryBytes,
    long SpilledBytes,
    double? ProgressPercentage);

public sealed record QueryWarning(WarningCode WarningCode, string Message);

public sealed record WarningCode(int Code, string Name);

public sealed record QueryError(
    string Message,
    string? SqlState,
    int ErrorCode,
    string ErrorName,
    string ErrorType,
    bool Retriable,
    ErrorLocation? ErrorLocation,
    FailureInfo FailureInfo);

public sealed record ErrorLocation(int LineNumber, int ColumnNumber);

public sealed record FailureInfo(string Type, string Message, IReadOnlyList<FailureInfo> Suppressed, IReadOnlyList<string> Stack, ErrorLocation? ErrorLocation);

/// <summary>What <c>GET /v1/query/{queryId}</c> tells of a query.</summary>
public sealed record QueryInfo(string QueryId, QueryState State, string Query, string User, Uri Self, long ElapsedTimeMillis, long ProcessedRows, QueryError? FailureInfo);

/// <summary>What <c>GET /v1/info</c> answers: drivers read the version from it.</summary>
public sealed record ServerInfo(NodeVersion NodeVersion, string Environment, bool Coordinator, bool Starting, string Uptime);

public sealed record NodeVersion(string Version);
