using System.Text;
using GameAnalytics.Lake.Tables;
using static GameAnalytics.Lake.Sql.SqlText;

namespace GameAnalytics.Streaming.Hive;

/// <summary>The Presto statements that declare a lake table as an external, <c>dt</c>-partitioned Parquet table.</summary>
internal static class HiveTableDefinition
{
    public static string CreateTable(string schema, string table, string location)
    {
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {Identifier(schema)}.{Identifier(table)} (\n");
        foreach (var column in LakeColumns.Of(table))
        {
            sql.Append($"  {Identifier(column.Name)} {PrestoType(column)},\n");
        }

        // Hive puts partition columns last, as strings.
        sql.Append($"  {Identifier(LakeColumns.Partition)} varchar\n)\n");
        sql.Append($"WITH (external_location = {Literal(location)}, format = 'PARQUET', partitioned_by = ARRAY[{Literal(LakeColumns.Partition)}])");
        return sql.ToString();
    }

    /// <summary>The columns added to the lake's tables after their first files: a table Hive knew before gains them.</summary>
    public static IEnumerable<string> AddedColumns(string schema, string table) =>
        table == TableNames.Rejected
            ? []
            : LakeColumns.AddedToEvent.Select(column => $"ALTER TABLE {Identifier(schema)}.{Identifier(table)} ADD COLUMN {Identifier(column.Name)} {PrestoType(column)}");

    /// <summary>Adds the partitions whose folders exist but the metastore does not know yet.</summary>
    public static string SyncPartitions(string catalog, string schema, string table) =>
        $"CALL {Identifier(catalog)}.system.sync_partition_metadata({Literal(schema)}, {Literal(table)}, 'ADD')";

    private static string PrestoType(LakeColumn column) => column.Type switch
    {
        LakeColumnType.String => "varchar",
        LakeColumnType.Timestamp => "timestamp",
        LakeColumnType.Int32 => "integer",
        LakeColumnType.Int64 => "bigint",
        LakeColumnType.Binary => "varbinary",
        var type => throw new NotSupportedException($"No Presto type for the lake column {column.Name} of {type}."),
    };
}
