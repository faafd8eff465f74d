using System.Globalization;
using System.Text.RegularExpressions;

namespace GameAnalytics.Query.Protocol;

/// <summary>DuckDB's types as Presto names them, and their values as Presto's JSON encodes them.</summary>
internal static partial class PrestoTypes
{
    public static string FromDuckDb(string duckDbType) => duckDbType.ToUpperInvariant() switch
    {
        "VARCHAR" => "varchar",
        "BIGINT" or "HUGEINT" or "UBIGINT" => "bigint",
        "INTEGER" or "UINTEGER" => "integer",
        "SMALLINT" or "USMALLINT" => "smallint",
        "TINYINT" or "UTINYINT" => "tinyint",
        "DOUBLE" => "double",
        "FLOAT" => "real",
        "BOOLEAN" => "boolean",
        "DATE" => "date",
        "TIMESTAMP" or "TIMESTAMP_MS" or "TIMESTAMP_NS" or "TIMESTAMP_S" => "timestamp",
        "TIMESTAMP WITH TIME ZONE" => "timestamp with time zone",
        "BLOB" => "varbinary",
        "UUID" => "uuid",
        var type when DecimalType().Match(type) is { Success: true } match => $"decimal({match.Groups[1].Value},{match.Groups[2].Value})",
        _ => "varchar",
    };

    /// <summary>Presto's typeSignature: the raw type and its numeric arguments.</summary>
    public static TypeSignature Signature(string prestoType)
    {
        var open = prestoType.IndexOf('(');
        if (open < 0)
        {
            return new TypeSignature(prestoType, prestoType == "varchar" ? [new TypeArgument("LONG", int.MaxValue)] : []);
        }

        var arguments = prestoType[(open + 1)..^1].Split(',').Select(argument => new TypeArgument("LONG", long.Parse(argument, CultureInfo.InvariantCulture)));
        return new TypeSignature(prestoType[..open], arguments.ToList());
    }

    /// <summary>A value in Presto's JSON encoding: numbers and booleans as JSON, the rest as strings.</summary>
    public static object? Encode(object? value, string prestoType) => value switch
    {
        null or DBNull => null,
        double d when double.IsNaN(d) => "NaN",
        double d when double.IsPositiveInfinity(d) => "Infinity",
        double d when double.IsNegativeInfinity(d) => "-Infinity",
        float f when float.IsNaN(f) || float.IsInfinity(f) => Encode((double)f, prestoType),
        System.Numerics.BigInteger big => (long)big,
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time when prestoType == "timestamp with time zone" => time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC",
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC",
        byte[] bytes => Convert.ToBase64String(bytes),
        Stream stream => Convert.ToBase64String(ReadAll(stream)),
        Guid guid => guid.ToString(),
        string or bool or long or int or short or sbyte or byte or double or float => value,
        ulong or uint or ushort => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$")]
    private static partial Regex DecimalType();
}

public sealed record TypeSignature(string RawType, IReadOnlyList<TypeArgument> Arguments);

public sealed record TypeArgument(string Kind, long Value);
