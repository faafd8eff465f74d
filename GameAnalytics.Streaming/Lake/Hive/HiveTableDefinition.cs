using System.Text;
using GameAnalytics.Streaming.Routing;
using ParquetSharp;

namespace GameAnalytics.Streaming.Lake.Hive;

/// <summary>The Presto statements that declare a lake table as an external, <c>dt</c>-partitioned Parquet table.</summary>
internal static class HiveTableDefinition
{
    public static string CreateTable(string schema, string table, string location)
    {
        var columns = table == TableRouter.RejectedTable ? ParquetTableWriter.RejectedColumns : ParquetTableWriter.EventColumns;
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {Identifier(schema)}.{Identifier(table)} (\n");
        foreach (var column in columns)
        {
            sql.Append($"  {Identifier(column.Name)} {PrestoType(column)},\n");
        }

        // Hive puts partition columns last, as strings.
        sql.Append($"  {Identifier("dt")} varchar\n)\n");
        sql.Append($"WITH (external_location = {Literal(location)}, format = 'PARQUET', partitioned_by = ARRAY['dt'])");
        return sql.ToString();
    }

    /// <summary>The columns added to the lake's tables after their first files: a table Hive knew before gains them.</summary>
    public static IEnumerable<string> AddedColumns(string schema, string table) =>
        table == TableRouter.RejectedTable
            ? []
            : [$"ALTER TABLE {Identifier(schema)}.{Identifier(table)} ADD COLUMN {Identifier("app_id")} varchar"];

    /// <summary>Adds the partitions whose folders exist but the metastore does not know yet.</summary>
    public static string SyncPartitions(string catalog, string schema, string table) =>
        $"CALL {Identifier(catalog)}.system.sync_partition_metadata({Literal(schema)}, {Literal(table)}, 'ADD')";

    private static string PrestoType(Column column) => column.LogicalSystemType switch
    {
        var type when type == typeof(string) => "varchar",
        var type when type == typeof(DateTime) || type == typeof(DateTime?) => "timestamp",
        var type when type == typeof(int) => "integer",
        var type when type == typeof(long) => "bigint",
        var type when type == typeof(byte[]) => "varbinary",
        var type => throw new NotSupportedException($"No Presto type for the lake column {column.Name} of {type}."),
    };

    private static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
