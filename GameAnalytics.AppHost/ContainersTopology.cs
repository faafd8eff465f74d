using System.Globalization;

namespace Aspire.Hosting;

/// <summary>
/// Real engines as containers: Kafka (KRaft), HDFS, a Hive metastore, Presto and Spark, with the same C# services.
/// Containers reach each other by resource name; the services on the host reach them through fixed published ports.
/// Nothing here falls back to an embedded part.
/// </summary>
internal static class ContainersTopology
{
    private const string HadoopConf = "/opt/hadoop/etc/hadoop";

    /// <summary>Where every engine finds HDFS: the namenode's RPC port, by resource name.</summary>
    public const string FileSystem = "hdfs://namenode:8020";

    public static void AddContainersTopology(this IDistributedApplicationBuilder builder)
    {
        var ports = TopologyPorts.From(builder.Configuration);

        var kafka = builder.AddKafka(ports.Kafka);
        var (namenode, datanode) = builder.AddHdfs();
        var metastore = builder.AddContainer("metastore", ContainerImages.Hive.Image, ContainerImages.Hive.Tag)
            .WithEnvironment("SERVICE_NAME", "metastore")
            .WithEnvironment("HIVE_CUSTOM_CONF_DIR", "/hive_custom_conf")
            .WithBindMount("containers/hive", "/hive_custom_conf", isReadOnly: true)
            .WithEndpoint(port: 9083, targetPort: 9083, scheme: "tcp", name: "thrift", isProxied: false)
            .WaitFor(namenode)
            .WaitFor(datanode);
        var presto = builder.AddPresto(ports.Query, metastore);
        builder.AddSpark(metastore);

        var bootstrapServers = ReferenceExpression.Create($"localhost:{kafka.GetEndpoint("tcp").Property(EndpointProperty.Port)}");
        var api = builder.AddCollector(ports, bootstrapServers)
            .WaitFor(kafka);

        builder.AddStreaming(bootstrapServers)
            .WithEnvironment("Lake__Hdfs__WebHdfsEndpoint", namenode.GetEndpoint("http"))
            .WithEnvironment("Lake__Hdfs__DataNodeEndpoint", datanode.GetEndpoint("http"))
            .WithEnvironment("Lake__Hdfs__FileSystem", FileSystem)
            .WithEnvironment("Lake__Hive__PrestoEndpoint", presto.GetEndpoint("http"))
            .WaitFor(kafka)
            .WaitFor(namenode)
            .WaitFor(datanode)
            .WaitFor(presto);

        builder.AddSimulator(api);
        builder.LogWhereEverythingIs(api, ports, Topologies.Containers, $"{FileSystem}/lake (HDFS)");
    }

    /// <summary>One KRaft node. It advertises <c>localhost</c> to the host's services and <c>kafka:19092</c> to containers.</summary>
    private static IResourceBuilder<ContainerResource> AddKafka(this IDistributedApplicationBuilder builder, int port) =>
        builder.AddContainer("kafka", ContainerImages.Kafka.Image, ContainerImages.Kafka.Tag)
            // librdkafka connects to the advertised address, so the host port is the advertised one, unproxied.
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithEnvironment("CLUSTER_ID", "R2FtZUFuYWx5dGljc0thZg")
            .WithEnvironment("KAFKA_NODE_ID", "1")
            .WithEnvironment("KAFKA_PROCESS_ROLES", "broker,controller")
            .WithEnvironment("KAFKA_LISTENERS", string.Create(CultureInfo.InvariantCulture, $"CONTROLLER://:29093,PLAINTEXT_HOST://:{port},PLAINTEXT://:19092"))
            .WithEnvironment("KAFKA_ADVERTISED_LISTENERS", string.Create(CultureInfo.InvariantCulture, $"PLAINTEXT_HOST://localhost:{port},PLAINTEXT://kafka:19092"))
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:29093")
            .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .WithEnvironment("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT")
            .WithEnvironment("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .WithEnvironment("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            // The topic `events` is created on first use, with as many partitions as the dev broker gives it.
            .WithEnvironment("KAFKA_NUM_PARTITIONS", "12")
            .WithEnvironment("KAFKA_LOG_DIRS", "/var/lib/kafka/data")
            .WithVolume("gameanalytics-kafka", "/var/lib/kafka/data");

    /// <summary>
    /// A namenode and a datanode. The datanode's web port is published as itself, because WebHDFS redirects
    /// the streaming service there by the name <c>localhost</c> (see hdfs-site.xml).
    /// </summary>
    private static (IResourceBuilder<ContainerResource> Namenode, IResourceBuilder<ContainerResource> Datanode) AddHdfs(this IDistributedApplicationBuilder builder)
    {
        var namenode = builder.AddContainer("namenode", ContainerImages.Hadoop.Image, ContainerImages.Hadoop.Tag)
            .WithArgs("hdfs", "namenode")
            .WithHadoopConfiguration()
            // Formats HDFS on first start only: the folder then exists in the volume.
            .WithEnvironment("ENSURE_NAMENODE_DIR", "/data/dfs/name")
            .WithVolume("gameanalytics-hdfs-name", "/data")
            .WithHttpEndpoint(port: 9870, targetPort: 9870, name: "http", isProxied: false)
            .WithEndpoint(targetPort: 8020, scheme: "tcp", name: "rpc")
            .WithHttpHealthCheck("/webhdfs/v1/?op=GETFILESTATUS&user.name=hadoop", endpointName: "http");
        var datanode = builder.AddContainer("datanode", ContainerImages.Hadoop.Image, ContainerImages.Hadoop.Tag)
            .WithArgs("hdfs", "datanode")
            .WithHadoopConfiguration()
            .WithVolume("gameanalytics-hdfs-data", "/data")
            .WithHttpEndpoint(port: 9864, targetPort: 9864, name: "http", isProxied: false)
            .WaitFor(namenode);
        return (namenode, datanode);
    }

    private static IResourceBuilder<ContainerResource> WithHadoopConfiguration(this IResourceBuilder<ContainerResource> container) =>
        container
            .WithBindMount("containers/hadoop/core-site.xml", $"{HadoopConf}/core-site.xml", isReadOnly: true)
            .WithBindMount("containers/hadoop/hdfs-site.xml", $"{HadoopConf}/hdfs-site.xml", isReadOnly: true);

    /// <summary>
    /// Presto with a <c>hive</c> catalog over the metastore and HDFS. node.properties stays the image's own:
    /// its entrypoint appends the node id to it.
    /// </summary>
    private static IResourceBuilder<ContainerResource> AddPresto(this IDistributedApplicationBuilder builder, int port, IResourceBuilder<ContainerResource> metastore)
    {
        const string etc = "/opt/presto-server/etc";
        return builder.AddContainer("presto", ContainerImages.Presto.Image, ContainerImages.Presto.Tag)
            .WithBindMount("containers/presto/config.properties", $"{etc}/config.properties", isReadOnly: true)
            .WithBindMount("containers/presto/jvm.config", $"{etc}/jvm.config", isReadOnly: true)
            .WithBindMount("containers/presto/catalog/hive.properties", $"{etc}/catalog/hive.properties", isReadOnly: true)
            .WithBindMount("containers/hadoop/core-site.xml", $"{etc}/hadoop/core-site.xml", isReadOnly: true)
            .WithBindMount("containers/hadoop/hdfs-site.xml", $"{etc}/hadoop/hdfs-site.xml", isReadOnly: true)
            .WithHttpEndpoint(port: port, targetPort: 8080, name: "http", isProxied: false)
            .WithHttpHealthCheck("/v1/info", endpointName: "http")
            .WithUrlForEndpoint("http", url => url.DisplayText = "Presto")
            .WaitFor(metastore);
    }

    /// <summary>Spark's Thrift server (as the original's HIVE_THRIFTSERVER) over the same metastore, for Spark SQL.</summary>
    private static void AddSpark(this IDistributedApplicationBuilder builder, IResourceBuilder<ContainerResource> metastore) =>
        builder.AddContainer("spark", ContainerImages.Spark.Image, ContainerImages.Spark.Tag)
            .WithArgs("/opt/spark/sbin/start-thriftserver.sh")
            .WithEnvironment("SPARK_NO_DAEMONIZE", "true")
            .WithEnvironment("HIVE_SERVER2_THRIFT_BIND_HOST", "0.0.0.0")
            .WithBindMount("containers/spark/hive-site.xml", "/opt/spark/conf/hive-site.xml", isReadOnly: true)
            .WithBindMount("containers/spark/spark-defaults.conf", "/opt/spark/conf/spark-defaults.conf", isReadOnly: true)
            .WithBindMount("containers/hadoop/core-site.xml", "/opt/spark/conf/core-site.xml", isReadOnly: true)
            .WithEndpoint(port: 10000, targetPort: 10000, scheme: "tcp", name: "thrift", isProxied: false)
            .WithHttpEndpoint(targetPort: 4040, name: "ui")
            .WaitFor(metastore);
}
