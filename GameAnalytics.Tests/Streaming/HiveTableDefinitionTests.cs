using System.Text.RegularExpressions;
using GameAnalytics.Streaming.Hive;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>The Hive table Presto is told about must match the Parquet files the stream processor writes.</summary>
public sealed partial class HiveTableDefinitionTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    [Fact]
    public void The_declared_columns_are_the_files_columns_in_order_then_the_dt_partition()
    {
        LandedEvents.Write(_lake.Path, "sword_purchases", 0, [LandedEvents.Create("purchase_sword", "user1.datafun.com", DateTime.UtcNow, 0)]);
        using var lake = new LakeQuery(_lake.Path);
        var fileColumns = lake.Rows($"select column_name, column_type from (describe select * exclude (dt) from {lake.Table("sword_purchases")})")
            .Select(row => ((string)row[0]!, (string)row[1]!))
            .ToList();

        var ddl = HiveTableDefinition.CreateTable("default", "sword_purchases", "hdfs://namenode:8020/lake/sword_purchases");
        var declared = DeclaredColumn().Matches(ddl).Select(match => (match.Groups["name"].Value, match.Groups["type"].Value)).ToList();

        Assert.Equal([.. fileColumns.Select(column => column.Item1), "dt"], declared.Select(column => column.Item1));
        Assert.Equal("varchar", declared[^1].Item2);
        foreach (var ((name, duckType), (_, prestoType)) in fileColumns.Zip(declared))
        {
            Assert.Equal(ExpectedPrestoType(duckType), prestoType);
        }

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"default\".\"sword_purchases\"", ddl, StringComparison.Ordinal);
        Assert.EndsWith("WITH (external_location = 'hdfs://namenode:8020/lake/sword_purchases', format = 'PARQUET', partitioned_by = ARRAY['dt'])", ddl, StringComparison.Ordinal);
    }

    [Fact]
    public void Partitions_are_synchronised_with_the_hive_procedure()
    {
        Assert.Equal(
            "CALL \"hive\".system.sync_partition_metadata('default', 'join_guilds', 'ADD')",
            HiveTableDefinition.SyncPartitions("hive", "default", "join_guilds"));
    }

    private static string ExpectedPrestoType(string duckType) => duckType switch
    {
        "VARCHAR" => "varchar",
        "TIMESTAMP WITH TIME ZONE" => "timestamp",
        "INTEGER" => "integer",
        "BIGINT" => "bigint",
        "BLOB" => "varbinary",
        _ => throw new InvalidOperationException($"No expectation for {duckType}"),
    };

    [GeneratedRegex("""^  "(?<name>[^"]+)" (?<type>\w+),?$""", RegexOptions.Multiline)]
    private static partial Regex DeclaredColumn();

    public void Dispose() => _lake.Dispose();
}
