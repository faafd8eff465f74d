using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One read query as DuckDB parses it. The parse, not the text, decides what runs: DuckDB serializes SELECT
/// statements alone, so COPY, ATTACH, PRAGMA, SET, INSTALL and writes are refused. The parse also gives
/// Presto's column names, and the references to Presto's metadata tables, which are redirected to ours.
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

    public static SqlQuery Parse(DuckDBConnection connection, string sql, ClientSession session)
    {
        var parsed = QuoteDefaultSchema(sql);
        var tree = JsonNode.Parse(Scalar(connection, "select json_serialize_sql($sql::varchar)", parsed))!.AsObject();
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
        foreach (var reference in TableReferences(statements[0]!))
        {
            if (MetadataTable.Find(reference["catalog_name"]?.GetValue<string>(), reference["schema_name"]?.GetValue<string>(),
                    reference["table_name"]!.GetValue<string>(), session) is not { } table)
            {
                continue;
            }

            // Keep the name the query uses for the table, so that qualified column references still resolve.
            if (string.IsNullOrEmpty(reference["alias"]?.GetValue<string>()))
            {
                reference["alias"] = reference["table_name"]!.GetValue<string>();
            }

            reference["catalog_name"] = MetadataTable.DuckDbCatalog;
            reference["schema_name"] = table.DuckDbSchema;
            reference["table_name"] = table.Name;
            if (!metadata.Contains(table))
            {
                metadata.Add(table);
            }
        }

        var text = metadata.Count > 0 ? Scalar(connection, "select json_deserialize_sql($sql::json)", tree.ToJsonString()) : parsed;
        return new SqlQuery(sql, statements[0]!["node"]!.AsObject(), metadata, text);
    }

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

    private static IEnumerable<JsonObject> TableReferences(JsonNode node)
    {
        if (node is JsonObject { } table && table["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "BASE_TABLE")
        {
            yield return table;
        }

        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject value => value.Select(property => property.Value).ToList(),
            JsonArray array => array.ToList(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var reference in TableReferences(child))
            {
                yield return reference;
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
