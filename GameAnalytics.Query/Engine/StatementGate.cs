using System.Text.Json;
using DuckDB.NET.Data;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// Lets through read queries only, judged by DuckDB's own parse of the statement rather than its text:
/// DuckDB serializes SELECT statements alone, so COPY, ATTACH, PRAGMA, SET, INSTALL and writes are refused.
/// </summary>
internal static class StatementGate
{
    public static void EnsureReadQuery(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "select json_serialize_sql($sql::varchar)";
        command.Parameters.Add(new DuckDBParameter("sql", sql));
        using var result = JsonDocument.Parse((string)command.ExecuteScalar()!);
        var root = result.RootElement;
        if (!root.GetProperty("error").GetBoolean())
        {
            if (root.GetProperty("statements").GetArrayLength() != 1)
            {
                throw new QueryException("Send exactly one statement per query.", PrestoError.NotSupported);
            }

            return;
        }

        var message = root.TryGetProperty("error_message", out var text) ? text.GetString() ?? "" : "";
        if (root.TryGetProperty("error_type", out var type) && type.GetString() == "parser")
        {
            var (line, column) = root.TryGetProperty("position", out var position) && int.TryParse(position.GetString(), out var offset)
                ? Locate(sql, offset)
                : (1, 1);
            throw new QueryException($"line {line}:{column}: {message}", PrestoError.SyntaxError, line, column);
        }

        throw new QueryException("Only read queries (SELECT, SHOW, DESCRIBE) are allowed: the lake is read-only.", PrestoError.PermissionDenied);
    }

    /// <summary>A character offset into the SQL as a 1-based line and column.</summary>
    public static (int Line, int Column) Locate(string sql, int offset)
    {
        offset = Math.Clamp(offset, 0, sql.Length);
        var line = 1 + sql.AsSpan(0, offset).Count('\n');
        var lineStart = offset == 0 ? 0 : sql.LastIndexOf('\n', offset - 1) + 1;
        return (line, offset - lineStart + 1);
    }
}
