namespace GameAnalytics.Query.Protocol;

/// <summary>Presto's client protocol response (camelCase JSON), one per request of a query.</summary>
public sealed record QueryResults(
    string Id,
    Uri InfoUri,
    Uri? PartialCancelUri,
    Uri? NextUri,
    IReadOnlyList<Column>? Columns,
    IReadOnlyList<object?[]>? Data,
    StatementStats Stats,
    QueryError? Error,
    IReadOnlyList<object> Warnings,
    string? UpdateType = null);

public sealed record Column(string Name, string Type, TypeSignature TypeSignature);

public sealed record StatementStats(
    string State,
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
    long PeakMemoryBytes);

public sealed record QueryError(
    string Message,
    int ErrorCode,
    string ErrorName,
    string ErrorType,
    ErrorLocation? ErrorLocation,
    FailureInfo FailureInfo);

public sealed record ErrorLocation(int LineNumber, int ColumnNumber);

public sealed record FailureInfo(string Type, string Message, IReadOnlyList<string> Stack, ErrorLocation? ErrorLocation);
