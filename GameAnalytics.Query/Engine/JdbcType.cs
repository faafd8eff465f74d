using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>A Presto type as the JDBC driver's metadata describes it: its <c>java.sql.Types</c> code, size, digits and radix.</summary>
internal sealed record JdbcType(long DataType, long? ColumnSize, long? DecimalDigits, long? Radix)
{
    public const long ColumnNullable = 1;
    public const long Searchable = 3;

    /// <summary>The types this service's answers use, as <c>system.jdbc.types</c> lists them.</summary>
    public static IReadOnlyList<PrestoType> Served { get; } =
        new[]
        {
            "boolean", "tinyint", "smallint", "integer", "bigint", "real", "double", "decimal", "varchar", "varbinary", "date", "time",
            "timestamp", "timestamp with time zone", "interval day to second", "array", "map", "row", "json", "uuid",
        }.Select(PrestoType.Simple).ToList();

    public static JdbcType Of(PrestoType type) => type.Name switch
    {
        "boolean" => new(16, 1, null, null),
        "tinyint" => new(-6, 3, 0, 10),
        "smallint" => new(5, 5, 0, 10),
        "integer" => new(4, 10, 0, 10),
        "bigint" => new(-5, 19, 0, 10),
        "real" => new(7, 24, null, 2),
        "double" => new(8, 53, null, 2),
        "decimal" => new(3, type.Numbers.ElementAtOrDefault(0) is var precision and > 0 ? precision : 38, type.Numbers.ElementAtOrDefault(1), 10),
        "varchar" => new(12, PrestoType.UnboundedVarchar, null, null),
        "varbinary" => new(-3, PrestoType.UnboundedVarchar, null, null),
        "date" => new(91, 14, null, null),
        "time" => new(92, 12, 3, null),
        "timestamp" => new(93, 23, 3, null),
        "timestamp with time zone" => new(2014, 29, 3, null),
        "array" => new(2003, null, null, null),
        _ => new(2000, null, null, null),
    };
}
