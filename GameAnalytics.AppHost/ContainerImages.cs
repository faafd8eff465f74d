namespace Aspire.Hosting;

/// <summary>
/// Every image the containers topology runs, pinned. Change a tag here only after running the containers tests
/// (they run wherever Docker or Podman is found).
/// </summary>
internal static class ContainerImages
{
    public static readonly ContainerImage Kafka = new("apache/kafka", "3.9.1");

    /// <summary>Namenode and datanode: HDFS, standing in for the original's Cloudera container.</summary>
    public static readonly ContainerImage Hadoop = new("apache/hadoop", "3.4.1");

    /// <summary>4.0.0, not later: from 4.0.1 the metastore drops the calls that Spark 3.5's and Presto's Hive clients make.</summary>
    public static readonly ContainerImage Hive = new("apache/hive", "4.0.0");

    public static readonly ContainerImage Presto = new("prestodb/presto", "0.292");

    public static readonly ContainerImage Spark = new("apache/spark", "3.5.5");
}

internal sealed record ContainerImage(string Image, string Tag);
