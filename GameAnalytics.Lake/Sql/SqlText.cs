namespace GameAnalytics.Lake.Sql;

/// <summary>Quoting for the SQL the lake's code writes (DuckDB's and Presto's rules agree): names and string literals.</summary>
public static class SqlText
{
    public static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
}
