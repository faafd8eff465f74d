using System.Text;
using System.Text.RegularExpressions;
using GameAnalytics.Lake.Sql;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// The statements Presto answers from its catalog and session rather than from data: SHOW CATALOGS, SCHEMAS,
/// TABLES, COLUMNS, CREATE TABLE and SESSION, DESCRIBE, USE, SET SESSION and RESET SESSION. Their answers have
/// Presto's column names; those that change the session say so in the answer's headers.
/// </summary>
internal static partial class CatalogStatements
{
    public static StatementResult? TryAnswer(string sql, LakeSession lake, ClientSession client, QueryOptions options)
    {
        var statement = sql.Trim().TrimEnd(';').Trim();
        var dialect = client.Dialect;
        if (ShowCatalogs().Match(statement) is { Success: true } catalogs)
        {
            return List("Catalog", PrestoCatalog.Catalogs, catalogs);
        }

        if (ShowSchemas().Match(statement) is { Success: true } schemas)
        {
            var catalog = schemas.Groups["catalog"].Success ? Name(schemas.Groups["catalog"].Value) : client.Catalog ?? PrestoCatalog.Hive;
            if (!PrestoCatalog.Catalogs.Contains(catalog))
            {
                throw new QueryException($"Catalog '{catalog}' does not exist", PrestoError.MissingCatalog);
            }

            return List("Schema", PrestoCatalog.Schemas(catalog), schemas);
        }

        if (ShowTables().Match(statement) is { Success: true } tables)
        {
            var (catalog, schema) = SchemaName(tables.Groups["schema"], client);
            var names = lake.Relations().Where(table => table.Catalog == catalog && table.Schema == schema).Select(table => table.Table).Order(StringComparer.Ordinal);
            return List("Table", names.ToList(), tables);
        }

        if (Describe().Match(statement) is { Success: true } describe)
        {
            var (_, _, _, columns) = Table(describe.Groups["table"].Value, lake, client);
            return new StatementResult(
                [("Column", PrestoType.Varchar), ("Type", PrestoType.Varchar), ("Extra", PrestoType.Varchar), ("Comment", PrestoType.Varchar)],
                columns.Select(column => new object?[] { column.Name, column.Type.Display(dialect), column.IsPartitionKey ? "partition key" : "", "" }).ToList());
        }

        if (ShowCreateTable().Match(statement) is { Success: true } create)
        {
            var (catalog, schema, table, columns) = Table(create.Groups["table"].Value, lake, client);
            return new StatementResult([("Create Table", PrestoType.Varchar)], [[CreateTable(catalog, schema, table, columns, dialect)]]);
        }

        if (ShowSession().Match(statement) is { Success: true } session)
        {
            var like = Like(session);
            return new StatementResult(
                [("Name", PrestoType.Varchar), ("Value", PrestoType.Varchar), ("Default", PrestoType.Varchar), ("Type", PrestoType.Varchar), ("Description", PrestoType.Varchar)],
                SessionProperties.All(options).Where(property => like?.IsMatch(property.Name) != false)
                    .Select(property => new object?[] { property.Name, client.Properties.GetValueOrDefault(property.Name, property.Default), property.Default, property.Type, property.Description })
                    .ToList());
        }

        if (Use().Match(statement) is { Success: true } use)
        {
            var (catalog, schema) = SchemaName(use.Groups["schema"], client);
            if (!PrestoCatalog.Schemas(catalog).Contains(schema))
            {
                throw new QueryException($"Schema '{catalog}.{schema}' does not exist", PrestoError.MissingSchema);
            }

            return StatementResult.Update("USE", new SessionUpdate(SetCatalog: catalog, SetSchema: schema));
        }

        if (SetSession().Match(statement) is { Success: true } set)
        {
            var name = set.Groups["name"].Value.ToLowerInvariant();
            var value = Literal(set.Groups["value"].Value.Trim());
            SessionProperties.Validate(name, value);
            return StatementResult.Update("SET SESSION", new SessionUpdate(SetSession: new Dictionary<string, string> { [name] = value }));
        }

        if (ResetSession().Match(statement) is { Success: true } reset)
        {
            var name = reset.Groups["name"].Value.ToLowerInvariant();
            SessionProperties.Validate(name, "1s");
            return StatementResult.Update("RESET SESSION", new SessionUpdate(ClearSession: [name]));
        }

        return null;
    }

    private static StatementResult List(string column, IEnumerable<string> names, Match statement)
    {
        var like = Like(statement);
        return new StatementResult([(column, PrestoType.Varchar)], names.Where(name => like?.IsMatch(name) != false).Select(name => new object?[] { name }).ToList());
    }

    private static (string Catalog, string Schema, string Table, IReadOnlyList<TableColumn> Columns) Table(string qualifiedName, LakeSession lake, ClientSession client)
    {
        var parts = Parts(qualifiedName);
        var table = parts[^1];
        var schema = parts.Count >= 2 ? parts[^2] : client.Schema ?? PrestoCatalog.Default;
        var catalog = parts.Count >= 3 ? parts[^3] : client.Catalog ?? PrestoCatalog.Hive;
        return lake.Columns(catalog, schema, table) is { } columns
            ? (catalog, schema, table, columns)
            : throw new QueryException($"Table '{catalog}.{schema}.{table}' does not exist", PrestoError.MissingTable);
    }

    private static (string Catalog, string Schema) SchemaName(Group name, ClientSession client)
    {
        if (!name.Success)
        {
            return (client.Catalog ?? PrestoCatalog.Hive, client.Schema ?? PrestoCatalog.Default);
        }

        var parts = Parts(name.Value);
        return parts.Count == 1 ? (client.Catalog ?? PrestoCatalog.Hive, parts[0]) : (parts[0], parts[1]);
    }

    /// <summary>As Presto's SHOW CREATE TABLE writes a Hive table; its location stays on the server.</summary>
    private static string CreateTable(string catalog, string schema, string table, IReadOnlyList<TableColumn> columns, SqlDialect dialect)
    {
        var text = new StringBuilder($"CREATE TABLE {catalog}.{schema}.{table} (\n");
        text.AppendJoin(",\n", columns.Select(column => $"   {Quote(column.Name)} {column.Type.Display(dialect)}"));
        text.Append("\n)");
        if (PrestoCatalog.IsLakeSchema(catalog, schema))
        {
            var partitions = columns.Where(column => column.IsPartitionKey).Select(column => $"'{column.Name}'");
            text.Append($"\nWITH (\n   format = 'PARQUET',\n   partitioned_by = ARRAY[{string.Join(", ", partitions)}]\n)");
        }

        return text.ToString();
    }

    private static string Quote(string name) => IdentifierPart().IsMatch(name) && name == name.ToLowerInvariant() ? name : SqlText.Identifier(name);

    /// <summary>The parts of a qualified name: a quoted part as written, an unquoted one lower-cased, as Presto reads identifiers.</summary>
    private static List<string> Parts(string qualifiedName) =>
        QualifiedPart().Matches(qualifiedName).Select(match => Name(match.Value)).ToList();

    private static string Name(string part) => part.StartsWith('"') ? part[1..^1].Replace("\"\"", "\"") : part.ToLowerInvariant();

    private static string Literal(string value) =>
        value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1].Replace("''", "'") : value;

    private static Regex? Like(Match statement) =>
        statement.Groups["like"].Success
            ? new Regex("^" + Regex.Escape(statement.Groups["like"].Value.Replace("''", "'")).Replace("%", ".*").Replace("_", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.Singleline)
            : null;

    private const string Part = @"(?:""(?:[^""]|"""")+""|[A-Za-z_][\w$]*)";
    private const string Qualified = Part + @"(?:\s*\.\s*" + Part + ")*";
    private const string LikeClause = @"(\s+like\s+'(?<like>(?:[^']|'')*)'(\s+escape\s+'[^']*')?)?";

    [GeneratedRegex(Part)]
    private static partial Regex QualifiedPart();

    [GeneratedRegex(@"^[a-z_][a-z0-9_]*$")]
    private static partial Regex IdentifierPart();

    [GeneratedRegex(@"^show\s+catalogs" + LikeClause + "$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowCatalogs();

    [GeneratedRegex(@"^show\s+schemas(\s+(from|in)\s+(?<catalog>" + Part + "))?" + LikeClause + "$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowSchemas();

    [GeneratedRegex(@"^show\s+tables(\s+(from|in)\s+(?<schema>" + Qualified + "))?" + LikeClause + "$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowTables();

    [GeneratedRegex(@"^(describe|desc|show\s+columns\s+(from|in))\s+(?<table>" + Qualified + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex Describe();

    [GeneratedRegex(@"^show\s+create\s+table\s+(?<table>" + Qualified + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowCreateTable();

    [GeneratedRegex(@"^show\s+session" + LikeClause + "$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowSession();

    [GeneratedRegex(@"^use\s+(?<schema>" + Qualified + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex Use();

    [GeneratedRegex(@"^set\s+session\s+(?<name>[\w.]+)\s*=\s*(?<value>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SetSession();

    [GeneratedRegex(@"^reset\s+session\s+(?<name>[\w.]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ResetSession();
}

/// <summary>A result computed without running SQL: columns with Presto types, rows, and what it changes in the client's session.</summary>
internal sealed record StatementResult(
    IReadOnlyList<(string Name, PrestoType Type)> Columns,
    IReadOnlyList<object?[]> Rows,
    string? UpdateType = null,
    SessionUpdate? Session = null)
{
    /// <summary>A statement with no output answers, as Presto does for clients that need a result, one <c>result</c> of true.</summary>
    public static StatementResult Update(string updateType, SessionUpdate session) =>
        new([("result", PrestoType.Boolean)], [[true]], updateType, session);
}

/// <summary>The session changes a statement asks the client to make, sent back as <c>X-*-Set-*</c> and <c>X-*-Clear-Session</c> headers.</summary>
internal sealed record SessionUpdate(
    string? SetCatalog = null,
    string? SetSchema = null,
    IReadOnlyDictionary<string, string>? SetSession = null,
    IReadOnlyList<string>? ClearSession = null);
