namespace GameAnalytics.Query.Protocol;

/// <summary>A query failure as Presto reports it: a stable error name and code, a type, and where in the SQL.</summary>
public sealed class QueryException(string message, PrestoError error, int? line = null, int? column = null, Exception? inner = null)
    : Exception(message, inner)
{
    public PrestoError Error { get; } = error;

    public int? Line { get; } = line;

    public int? Column { get; } = column;

    public QueryError ToQueryError(SqlDialect dialect)
    {
        var location = Line is { } line && Column is { } column ? new ErrorLocation(line, column) : null;
        var name = dialect.Family == HeaderFamily.Trino ? Error.TrinoName ?? Error.Name : Error.Name;
        var type = Error.Type == PrestoError.InternalError ? "java.lang.RuntimeException"
            : dialect.Family == HeaderFamily.Trino ? "io.trino.spi.TrinoException" : "com.facebook.presto.spi.PrestoException";
        return new QueryError(Message, null, Error.Code, name, Error.Type, false, location, new FailureInfo(type, Message, [], [], location));
    }
}

/// <summary>The error codes this service raises, from Presto's StandardErrorCode (Trino renamed a few).</summary>
public sealed record PrestoError(string Name, int Code, string Type, string? TrinoName = null)
{
    public const string UserError = "USER_ERROR";
    public const string InternalError = "INTERNAL_ERROR";
    public const string InsufficientResources = "INSUFFICIENT_RESOURCES";

    public static readonly PrestoError GenericUserError = new("GENERIC_USER_ERROR", 0, UserError);
    public static readonly PrestoError SyntaxError = new("SYNTAX_ERROR", 1, UserError);
    public static readonly PrestoError UserCanceled = new("USER_CANCELED", 3, UserError);
    public static readonly PrestoError PermissionDenied = new("PERMISSION_DENIED", 4, UserError);
    public static readonly PrestoError InvalidFunctionArgument = new("INVALID_FUNCTION_ARGUMENT", 7, UserError);
    public static readonly PrestoError NotSupported = new("NOT_SUPPORTED", 13, UserError);
    public static readonly PrestoError NumericValueOutOfRange = new("NUMERIC_VALUE_OUT_OF_RANGE", 19, UserError);
    public static readonly PrestoError InvalidSessionProperty = new("INVALID_SESSION_PROPERTY", 14, UserError);
    public static readonly PrestoError MissingCatalog = new("MISSING_CATALOG", 44, UserError, "CATALOG_NOT_FOUND");
    public static readonly PrestoError MissingSchema = new("MISSING_SCHEMA", 45, UserError, "SCHEMA_NOT_FOUND");
    public static readonly PrestoError MissingTable = new("MISSING_TABLE", 46, UserError, "TABLE_NOT_FOUND");
    public static readonly PrestoError MissingColumn = new("MISSING_COLUMN", 47, UserError, "COLUMN_NOT_FOUND");
    public static readonly PrestoError QueryTextTooLarge = new("QUERY_TEXT_TOO_LARGE", 35, UserError);
    public static readonly PrestoError ExceededMemoryLimit = new("EXCEEDED_GLOBAL_MEMORY_LIMIT", 131073, InsufficientResources);
    public static readonly PrestoError QueryQueueFull = new("QUERY_QUEUE_FULL", 131074, InsufficientResources);
    public static readonly PrestoError ExceededTimeLimit = new("EXCEEDED_TIME_LIMIT", 131075, InsufficientResources);
    public static readonly PrestoError GenericInternalError = new("GENERIC_INTERNAL_ERROR", 65536, InternalError);
}
