using System.Globalization;

namespace GameAnalytics.Query.Protocol;

/// <summary>
/// A SQL type as Presto names it (<c>bigint</c>, <c>decimal(10,2)</c>, <c>array(varchar)</c>, <c>row(x bigint)</c>),
/// made from DuckDB's type. Row fields carry their names; numbers are precision and scale.
/// </summary>
public sealed record PrestoType(string Name, IReadOnlyList<PrestoType> Parameters, IReadOnlyList<long> Numbers, string? FieldName = null)
{
    public const long UnboundedVarchar = int.MaxValue;

    public static readonly PrestoType Varchar = Simple("varchar");
    public static readonly PrestoType Bigint = Simple("bigint");
    public static readonly PrestoType Boolean = Simple("boolean");

    public static PrestoType Simple(string name) => new(name, [], []);

    public bool IsTimestamp => Name is "timestamp" or "timestamp with time zone";

    /// <summary>Presto's display name. Trino writes <c>, </c> between parameters and, for clients that ask, a timestamp's precision.</summary>
    public string Display(SqlDialect dialect)
    {
        var separator = dialect.Family == HeaderFamily.Trino ? ", " : ",";
        var named = FieldName is null ? "" : $"{Quote(FieldName)} ";
        return named + (Name switch
        {
            "timestamp" when dialect.ParametricDatetime => "timestamp(3)",
            "timestamp with time zone" when dialect.ParametricDatetime => "timestamp(3) with time zone",
            _ when Parameters.Count > 0 => $"{Name}({string.Join(separator, Parameters.Select(parameter => parameter.Display(dialect)))})",
            _ when Numbers.Count > 0 => $"{Name}({string.Join(separator, Numbers)})",
            _ => Name,
        });
    }

    /// <summary>The DuckDB type of a result column or table column, as Presto's type.</summary>
    public static PrestoType FromDuckDb(string duckDbType)
    {
        var type = duckDbType.Trim();
        if (type.EndsWith(']'))
        {
            // LIST is T[], ARRAY is T[n]: both are Presto arrays.
            var open = type.LastIndexOf('[');
            return new PrestoType("array", [FromDuckDb(type[..open])], []);
        }

        var paren = type.IndexOf('(');
        var head = (paren < 0 ? type : type[..paren]).Trim().ToUpperInvariant();
        var inner = paren < 0 ? "" : type[(paren + 1)..type.LastIndexOf(')')];
        return head switch
        {
            "VARCHAR" or "ENUM" or "BIT" => Varchar,
            // HUGEINT is what DuckDB sums bigints to; Presto's sum of bigints is a bigint.
            "BIGINT" or "HUGEINT" or "UINTEGER" => Bigint,
            "UBIGINT" => new PrestoType("decimal", [], [20, 0]),
            "UHUGEINT" => new PrestoType("decimal", [], [38, 0]),
            "INTEGER" or "USMALLINT" => Simple("integer"),
            "SMALLINT" or "UTINYINT" => Simple("smallint"),
            "TINYINT" => Simple("tinyint"),
            "DOUBLE" => Simple("double"),
            "FLOAT" => Simple("real"),
            "BOOLEAN" => Boolean,
            "DATE" => Simple("date"),
            "TIME" => Simple("time"),
            "TIMESTAMP" or "TIMESTAMP_MS" or "TIMESTAMP_NS" or "TIMESTAMP_S" => Simple("timestamp"),
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => Simple("timestamp with time zone"),
            "INTERVAL" => Simple("interval day to second"),
            "BLOB" => Simple("varbinary"),
            "UUID" => Simple("uuid"),
            "JSON" => Simple("json"),
            "DECIMAL" => new PrestoType("decimal", [], Split(inner).Select(number => long.Parse(number, CultureInfo.InvariantCulture)).ToList()),
            "MAP" => new PrestoType("map", Split(inner).Select(FromDuckDb).ToList(), []),
            "STRUCT" => new PrestoType("row", Split(inner).Select(Field).ToList(), []),
            _ => Varchar,
        };
    }

    private static PrestoType Field(string field)
    {
        // "name TYPE", where a name that needs it is double-quoted.
        string name, rest;
        if (field.StartsWith('"'))
        {
            var close = field.IndexOf('"', 1);
            while (close + 1 < field.Length && field[close + 1] == '"')
            {
                close = field.IndexOf('"', close + 2);
            }

            name = field[1..close].Replace("\"\"", "\"");
            rest = field[(close + 1)..];
        }
        else
        {
            var space = field.IndexOf(' ');
            name = field[..space];
            rest = field[space..];
        }

        return FromDuckDb(rest) with { FieldName = name };
    }

    /// <summary>Splits a parameter list at its top-level commas.</summary>
    private static List<string> Split(string parameters)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            switch (parameters[i])
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    depth++;
                    break;
                case ')' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    parts.Add(parameters[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (parameters.Trim().Length > 0)
        {
            parts.Add(parameters[start..].Trim());
        }

        return parts;
    }

    private static string Quote(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0]) ? name : $"\"{name.Replace("\"", "\"\"")}\"";
}

/// <summary>How an answer is written for the client that asked: its header family, and whether it understands timestamp precision.</summary>
public sealed record SqlDialect(HeaderFamily Family, bool ParametricDatetime)
{
    public static readonly SqlDialect Presto = new(HeaderFamily.Presto, false);
}
