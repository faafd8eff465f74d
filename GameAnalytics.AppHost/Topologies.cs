namespace Aspire.Hosting;

internal static class Topologies
{
    /// <summary>Dev Kafka broker, lake on local disk, DuckDB: runs with only the .NET SDK.</summary>
    public const string Embedded = "embedded";

    /// <summary>Kafka, HDFS, a Hive metastore, Presto and Spark as containers: needs Docker or Podman.</summary>
    public const string Containers = "containers";
}
