using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace GameAnalytics.Query.Engine;

/// <summary>The statements Presto answers from its catalog: SHOW CATALOGS, SHOW SCHEMAS, SHOW TABLES, DESCRIBE.</summary>
internal static partial class PrestoStatements
{
    public const string Catalog = "hive";
    public const string Schema = "default";

    public static bool TryAnswer(string sql, LakeSession session, LakeTables tables, out ResultSet result)
    {
        var statement = sql.Trim().TrimEnd(';').Trim();
        if (ShowCatalogs().IsMatch(statement))
        {
            result = new ResultSet([("Catalog", "varchar")], [[Catalog]]);
            return true;
        }

        if (ShowSchemas().IsMatch(statement))
        {
            result = new ResultSet([("Schema", "varchar")], [[Schema]]);
            return true;
        }

        if (ShowTables().Match(statement) is { Success: true } showTables)
        {
            var like = showTables.Groups["like"].Success ? LikeToRegex(showTables.Groups["like"].Value) : null;
            result = new ResultSet([("Table", "varchar")], tables.Names().Where(name => like is null || like.IsMatch(name)).Select(name => new object?[] { name }).ToList());
            return true;
        }

        if (Describe().Match(statement) is { Success: true } describe)
        {
            var table = describe.Groups["table"].Value.Trim('"');
            if (!tables.Names().Contains(table))
            {
                throw new QueryException($"Table '{Catalog}.{Schema}.{table}' does not exist", PrestoError.MissingTable);
            }

            result = new ResultSet(
                [("Column", "varchar"), ("Type", "varchar"), ("Extra", "varchar"), ("Comment", "varchar")],
                DescribeColumns(session.Connection, $"select * from {LakeSession.Identifier(table)}")
                    .Select(column => new object?[] { column.Name, Protocol.PrestoTypes.FromDuckDb(column.Type), column.Name == "dt" ? "partition key" : "", "" })
                    .ToList());
            return true;
        }

        result = default!;
        return false;
    }

    /// <summary>Column names and DuckDB types of a query, without running it.</summary>
    public static List<(string Name, string Type)> DescribeColumns(DuckDBConnection connection, string query)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"describe {query}";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    private static Regex LikeToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("%", ".*").Replace("_", ".") + "$", RegexOptions.IgnoreCase);

    [GeneratedRegex(@"^show\s+catalogs$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowCatalogs();

    [GeneratedRegex(@"^show\s+schemas(\s+(from|in)\s+\w+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowSchemas();

    [GeneratedRegex(@"^show\s+tables(\s+(from|in)\s+[\w.]+)?(\s+like\s+'(?<like>[^']*)')?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowTables();

    [GeneratedRegex(@"^(describe|desc|show\s+columns\s+from)\s+((\w+\.)?\w+\.)?(?<table>""[^""]+""|\w+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Describe();
}

/// <summary>A small result computed without running SQL: column names with Presto types, and rows.</summary>
internal sealed record ResultSet(IReadOnlyList<(string Name, string Type)> Columns, IReadOnlyList<object?[]> Rows);
