using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One read query as DuckDB parses it. The parse, not the text, decides what runs: DuckDB serializes SELECT
/// statements alone, so COPY, ATTACH, PRAGMA, SET, INSTALL and writes are refused; a query reads the lake's
/// tables and Presto's metadata tables (redirected to ours), never files or DuckDB's own catalog. The parse
/// also gives Presto's column names.
/// </summary>
internal sealed class SqlQuery
{
    private readonly JsonObject _statement;

    private SqlQuery(string sql, JsonObject statement, IReadOnlyList<MetadataTable> metadata, string text)
    {
        Original = sql;
        _statement = statement;
        Metadata = metadata;
        Text = text;
    }

    public string Original { get; }

    /// <summary>The SQL to run: the original, or DuckDB's rendering of it with the metadata tables redirected.</summary>
    public string Text { get; }

    /// <summary>Whether <see cref="Text"/> is the client's own SQL, so that DuckDB's error positions point into it.</summary>
    public bool IsOriginal => ReferenceEquals(Text, Original);

    public IReadOnlyList<MetadataTable> Metadata { get; }

    public static SqlQuery Parse(LakeSession lake, string sql, ClientSession session)
    {
        var connection = lake.Connection;
        var parsed = QuoteDefaultSchema(sql);
        // Parse trees nest deeply (a sum of 30 terms is 60 levels): the depth that DuckDB itself allows, not JSON's default.
        var tree = JsonNode.Parse(Scalar(connection, "select json_serialize_sql($sql::varchar)", parsed), documentOptions: new JsonDocumentOptions { MaxDepth = 4096 })!.AsObject();
        if (tree["error"]!.GetValue<bool>())
        {
            throw Refusal(sql, tree);
        }

        var statements = tree["statements"]!.AsArray();
        if (statements.Count != 1)
        {
            throw new QueryException("Send exactly one statement per query.", PrestoError.NotSupported);
        }

        var metadata = new List<MetadataTable>();
        foreach (var (node, ctes) in Objects(statements[0]!))
        {
            switch (Kind(node, "type"))
            {
                case "BASE_TABLE":
                    var name = node["table_name"]!.GetValue<string>();
                    if (Redirect(node, session) is { } table)
                    {
                        if (!metadata.Contains(table))
                        {
                            metadata.Add(table);
                        }
                    }
                    else if (LooksLikeFileOrSystemView(name) || (!IsLakeTable(node, session, lake.TableNames) && !ctes.Contains(name)))
                    {
                        throw Located($"Table '{Name(node, session)}' does not exist", PrestoError.MissingTable, sql, node);
                    }

                    break;
                case "TABLE_FUNCTION" when node["function"] is JsonObject call && Kind(call, "function_name") is { } function && !AllowedTableFunctions.Contains(function):
                    throw Located($"Table function '{function}' is not allowed: the lake is read through its tables", PrestoError.PermissionDenied, sql, node);
            }

            if (Kind(node, "class") == "FUNCTION" && Kind(node, "function_name") is { } scalar && RefusedFunctions.Contains(scalar))
            {
                throw Located($"Function '{scalar}' is not allowed", PrestoError.PermissionDenied, sql, node);
            }
        }

        var text = metadata.Count > 0 ? Scalar(connection, "select json_deserialize_sql($sql::json)", tree.ToJsonString()) : parsed;
        return new SqlQuery(sql, statements[0]!["node"]!.AsObject(), metadata, text);
    }

    // Table functions that make rows rather than read files; every other one (read_parquet, glob, duckdb_views, ...) is refused.
    private static readonly HashSet<string> AllowedTableFunctions = new(["range", "generate_series", "unnest"], StringComparer.OrdinalIgnoreCase);

    // Settings name the server's folders.
    private static readonly HashSet<string> RefusedFunctions = new(["current_setting"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A name DuckDB would read as a file (a path, a glob, a file name with its extension) or as one of its own
    /// catalog views: never a lake table, whatever a CTE of the query is called.
    /// </summary>
    private static bool LooksLikeFileOrSystemView(string name) =>
        name.IndexOfAny(['/', '\\', '*', '?', '.', '[', '{']) >= 0
        || name.StartsWith("duckdb_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase);

    /// <summary>Points a reference to one of Presto's metadata tables at this session's copy of it.</summary>
    private static MetadataTable? Redirect(JsonObject reference, ClientSession session)
    {
        if (MetadataTable.Find(reference["catalog_name"]?.GetValue<string>(), reference["schema_name"]?.GetValue<string>(),
                reference["table_name"]!.GetValue<string>(), session) is not { } table)
        {
            return null;
        }

        // Keep the name the query uses for the table, so that qualified column references still resolve.
        if (string.IsNullOrEmpty(reference["alias"]?.GetValue<string>()))
        {
            reference["alias"] = reference["table_name"]!.GetValue<string>();
        }

        reference["catalog_name"] = MetadataTable.DuckDbCatalog;
        reference["schema_name"] = MetadataTable.DuckDbSchema;
        reference["table_name"] = table.DuckDbName;
        return table;
    }

    private static bool IsLakeTable(JsonObject reference, ClientSession session, IReadOnlyList<string> tables)
    {
        var (catalog, schema, table) = Resolve(reference, session);
        return PrestoCatalog.IsLakeSchema(catalog.ToLowerInvariant(), schema.ToLowerInvariant()) && tables.Contains(table, StringComparer.OrdinalIgnoreCase);
    }

    private static (string Catalog, string Schema, string Table) Resolve(JsonObject reference, ClientSession session) =>
        (reference["catalog_name"]?.GetValue<string>() is { Length: > 0 } catalog ? catalog : session.Catalog ?? PrestoCatalog.Hive,
         reference["schema_name"]?.GetValue<string>() is { Length: > 0 } schema ? schema : session.Schema ?? PrestoCatalog.Default,
         reference["table_name"]!.GetValue<string>());

    private static string Name(JsonObject reference, ClientSession session) =>
        Resolve(reference, session) is var (catalog, schema, table) ? $"{catalog}.{schema}.{table}" : "";

    private static QueryException Located(string message, PrestoError error, string sql, JsonObject node)
    {
        if (node["query_location"] is JsonValue value && value.TryGetValue<long>(out var offset) && offset < sql.Length)
        {
            var (line, column) = Locate(sql, (int)offset);
            return new QueryException($"line {line}:{column}: {message}", error, line, column);
        }

        return new QueryException(message, error);
    }

    private static string? Kind(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<string>(out var kind) ? kind : null;

    /// <summary>
    /// Presto's names for the result's columns: an alias, or a column's own name, else <c>_col</c> and the
    /// column's position. DuckDB's names (<c>count_star()</c>) stand only where a star's width is ambiguous.
    /// </summary>
    public IReadOnlyList<string> ColumnNames(IReadOnlyList<string> duckDbNames)
    {
        var select = _statement;
        while (select["type"]?.GetValue<string>() == "SET_OPERATION_NODE")
        {
            select = select["left"]!.AsObject();
        }

        if (select["select_list"] is not JsonArray items)
        {
            return duckDbNames;
        }

        var stars = items.Count(item => item?["class"]?.GetValue<string>() == "STAR");
        var starWidth = duckDbNames.Count - (items.Count - stars);
        if (stars > 1 || starWidth < 0 || (stars == 0 && items.Count != duckDbNames.Count))
        {
            return duckDbNames;
        }

        var names = new List<string>(duckDbNames.Count);
        foreach (var item in items)
        {
            if (item?["class"]?.GetValue<string>() == "STAR")
            {
                names.AddRange(duckDbNames.Skip(names.Count).Take(starWidth));
                continue;
            }

            names.Add(item?["alias"]?.GetValue<string>() is { Length: > 0 } alias ? alias
                : item?["class"]?.GetValue<string>() == "COLUMN_REF" ? item["column_names"]!.AsArray()[^1]!.GetValue<string>()
                : $"_col{names.Count}");
        }

        return names;
    }

    /// <summary>
    /// Every object of the parse tree, parents before their children, each with the CTE names in scope there: a
    /// CTE's name is visible in the statement that declares it (its own body included) and below, nowhere else.
    /// </summary>
    private static IEnumerable<(JsonObject Node, IReadOnlySet<string> Ctes)> Objects(JsonNode root)
    {
        var pending = new Stack<(JsonNode Node, IReadOnlySet<string> Ctes)>();
        pending.Push((root, new HashSet<string>(StringComparer.OrdinalIgnoreCase)));
        while (pending.TryPop(out var item))
        {
            var (node, ctes) = item;
            if (node is JsonObject value)
            {
                if (value["cte_map"]?["map"] is JsonArray declared && declared.Count > 0)
                {
                    var scope = new HashSet<string>(ctes, StringComparer.OrdinalIgnoreCase);
                    scope.UnionWith(declared.Select(entry => entry?["key"]?.GetValue<string>()).OfType<string>());
                    ctes = scope;
                }

                yield return (value, ctes);
                foreach (var (_, child) in value)
                {
                    if (child is not null)
                    {
                        pending.Push((child, ctes));
                    }
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array.OfType<JsonNode>())
                {
                    pending.Push((child, ctes));
                }
            }
        }
    }

    /// <summary>
    /// Quotes <c>default</c> where it starts a qualified name (<c>default.join_guilds</c>): a keyword to DuckDB, a
    /// plain name to Presto. Strings, quoted names and comments are left as they are.
    /// </summary>
    private static string QuoteDefaultSchema(string sql)
    {
        StringBuilder? quoted = null;
        var copied = 0;
        for (var i = 0; i < sql.Length; i++)
        {
            switch (sql[i])
            {
                case '\'' or '"':
                    var close = sql.IndexOf(sql[i], i + 1);
                    i = close < 0 ? sql.Length : close;
                    continue;
                case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
                    i = sql.IndexOf('\n', i) is var end and >= 0 ? end : sql.Length;
                    continue;
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                    i = sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var last and >= 0 ? last + 1 : sql.Length;
                    continue;
            }

            var word = i == 0 || !(char.IsLetterOrDigit(sql[i - 1]) || sql[i - 1] is '_' or '.' or '$');
            if (word && string.Compare(sql, i, "default", 0, 7, StringComparison.OrdinalIgnoreCase) == 0
                && sql.AsSpan(i + 7).TrimStart().StartsWith("."))
            {
                quoted ??= new StringBuilder(sql.Length + 8);
                quoted.Append(sql, copied, i - copied).Append("\"default\"");
                copied = i + 7;
                i += 6;
            }
        }

        return quoted is null ? sql : quoted.Append(sql, copied, sql.Length - copied).ToString();
    }

    private static QueryException Refusal(string sql, JsonObject tree)
    {
        var message = tree["error_message"]?.GetValue<string>() ?? "";
        if (tree["error_type"]?.GetValue<string>() == "parser")
        {
            var (line, column) = int.TryParse(tree["position"]?.GetValue<string>(), out var offset) ? Locate(sql, offset) : (1, 1);
            return new QueryException($"line {line}:{column}: {message}", PrestoError.SyntaxError, line, column);
        }

        return new QueryException("Only read queries (SELECT, SHOW, DESCRIBE) are allowed: the lake is read-only.", PrestoError.PermissionDenied);
    }

    /// <summary>A character offset into the SQL as a 1-based line and column.</summary>
    public static (int Line, int Column) Locate(string sql, int offset)
    {
        offset = Math.Clamp(offset, 0, sql.Length);
        var line = 1 + sql.AsSpan(0, offset).Count('\n');
        var lineStart = offset == 0 ? 0 : sql.LastIndexOf('\n', offset - 1) + 1;
        return (line, offset - lineStart + 1);
    }

    private static string Scalar(DuckDBConnection connection, string sql, string argument)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("sql", argument));
        return (string)command.ExecuteScalar()!;
    }
}
