namespace GameAnalytics.Presto;

/// <summary>A query the server failed, with Presto's error name, code, type and position in the SQL.</summary>
public sealed class PrestoQueryException(string message, string errorName, int errorCode, string errorType, int? line, int? column, string queryId)
    : Exception(message)
{
    public string ErrorName { get; } = errorName;

    public int ErrorCode { get; } = errorCode;

    public string ErrorType { get; } = errorType;

    public int? LineNumber { get; } = line;

    public int? ColumnNumber { get; } = column;

    public string QueryId { get; } = queryId;
}
