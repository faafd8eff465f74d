namespace GameAnalytics.Query.Engine;

/// <summary>A query failure as Presto reports it: a stable error name and code, a type, and where in the SQL.</summary>
public sealed class QueryException(string message, PrestoError error, int? line = null, int? column = null, Exception? inner = null)
    : Exception(message, inner)
{
    public PrestoError Error { get; } = error;

    public int? Line { get; } = line;

    public int? Column { get; } = column;
}

/// <summary>The Presto error codes this service raises (from Presto's StandardErrorCode).</summary>
public sealed record PrestoError(string Name, int Code, string Type)
{
    public static readonly PrestoError GenericUserError = new("GENERIC_USER_ERROR", 0, "USER_ERROR");
    public static readonly PrestoError SyntaxError = new("SYNTAX_ERROR", 1, "USER_ERROR");
    public static readonly PrestoError UserCanceled = new("USER_CANCELED", 3, "USER_ERROR");
    public static readonly PrestoError PermissionDenied = new("PERMISSION_DENIED", 4, "USER_ERROR");
    public static readonly PrestoError NotSupported = new("NOT_SUPPORTED", 13, "USER_ERROR");
    public static readonly PrestoError InvalidFunctionArgument = new("INVALID_FUNCTION_ARGUMENT", 7, "USER_ERROR");
    public static readonly PrestoError MissingTable = new("MISSING_TABLE", 46, "USER_ERROR");
    public static readonly PrestoError MissingColumn = new("MISSING_COLUMN", 47, "USER_ERROR");
    public static readonly PrestoError ExceededTimeLimit = new("EXCEEDED_TIME_LIMIT", 131075, "INSUFFICIENT_RESOURCES");
    public static readonly PrestoError GenericInternalError = new("GENERIC_INTERNAL_ERROR", 65536, "INTERNAL_ERROR");
}
