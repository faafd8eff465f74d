using System.Globalization;
using Microsoft.Extensions.Configuration;

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

    /// <summary>The metastore's volume: the image creates this folder for its own user, so a new volume is writable.</summary>
    public const string MetastoreData = "/opt/hive/data";

    /// <summary>Derby's database, as hive-site.xml names it; its presence means the schema exists.</summary>
    public const string MetastoreDatabase = $"{MetastoreData}/metastore_db";

    public static void AddContainersTopology(this IDistributedApplicationBuilder builder)
    {
        var ports = TopologyPorts.From(builder.Configuration);
        var lake = builder.AddLakeFileSystem();
        // Every volume's name starts with this (Containers:VolumePrefix): a test runs on volumes of its own.
        var volumes = builder.Configuration["Containers:VolumePrefix"] ?? "gameanalytics";

        var (kafka, bootstrapServers) = builder.AddKafka(ports.Kafka, volumes);
        var (namenode, datanode) = builder.AddHdfs(volumes);
        var metastore = builder.AddMetastore(volumes)
            .WaitFor(namenode)
            .WaitFor(datanode);
        var presto = builder.AddPresto(ports.Query, metastore);
        builder.AddSpark(metastore);
        builder.AddSparkCompaction(lake, metastore, namenode, datanode);

        var api = builder.AddCollector(ports, bootstrapServers)
            .WaitForIfRun(kafka);

        var streaming = builder.AddStreaming(bootstrapServers)
            .WithEnvironment("Lake__Hdfs__WebHdfsEndpoint", namenode.GetEndpoint("http"))
            .WithEnvironment("Lake__Hdfs__FileSystem", lake)
            .WithEnvironment("Lake__Hive__PrestoEndpoint", presto.GetEndpoint("http"))
            .WaitForIfRun(kafka)
            .WaitFor(namenode)
            .WaitFor(datanode)
            .WaitFor(presto);
        if (!builder.ExecutionContext.IsPublishMode)
        {
            streaming.WithEnvironment("Lake__Hdfs__DataNodeEndpoint", datanode.GetEndpoint("http"));
        }

        builder.AddSimulator(api);
        builder.LogWhereEverythingIs(api, ports, Topologies.Containers, $"{FileSystem}/lake (HDFS)");
    }

    /// <summary>
    /// The file system the services write the lake to. Published, the parameter <c>lake-filesystem</c>, by default the
    /// HDFS deployed beside the engines (whose own files, core-site.xml, name that one).
    /// </summary>
    private static ReferenceExpression AddLakeFileSystem(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsPublishMode
            ? ReferenceExpression.Create($"{builder.AddParameter("lake-filesystem", FileSystem, publishValueAsDefault: true).Resource}")
            : ReferenceExpression.Create($"{FileSystem}");

    /// <summary>
    /// Run: one KRaft node, advertising <c>localhost</c> to the host's services and <c>kafka:19092</c> to containers.
    /// Published: the connection string <c>kafka</c>, as in the embedded topology.
    /// </summary>
    private static (IResourceBuilder<IResource>? Container, ReferenceExpression BootstrapServers) AddKafka(this IDistributedApplicationBuilder builder, int port, string volumes)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return (null, builder.AddPublishedKafka());
        }

        var kafka = builder.AddContainer("kafka", ContainerImages.Kafka.Image, ContainerImages.Kafka.Tag)
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
            .WithEnvironment("KAFKA_HEAP_OPTS", "-Xmx1G -Xms1G")
            .WithMemoryLimit("2g")
            .WithVolume($"{volumes}-kafka", "/var/lib/kafka/data");
        return (kafka, ReferenceExpression.Create($"localhost:{kafka.GetEndpoint("tcp").Property(EndpointProperty.Port)}"));
    }

    /// <summary>
    /// A namenode and a datanode, each healthy only once HDFS can take writes: the namenode out of safe mode with a
    /// live datanode, the datanode registered. The datanode's web port is published as itself, because WebHDFS
    /// redirects the streaming service there by the name <c>localhost</c> (see hdfs-site.xml).
    /// </summary>
    private static (IResourceBuilder<ContainerResource> Namenode, IResourceBuilder<ContainerResource> Datanode) AddHdfs(this IDistributedApplicationBuilder builder, string volumes)
    {
        var namenode = builder.AddContainer("namenode", ContainerImages.Hadoop.Image, ContainerImages.Hadoop.Tag)
            .WithArgs("hdfs", "namenode")
            .WithHadoopConfiguration()
            // Formats HDFS on first start only: the folder then exists in the volume.
            .WithEnvironment("ENSURE_NAMENODE_DIR", "/data/dfs/name")
            .WithVolume($"{volumes}-hdfs-name", "/data")
            .WithHttpEndpoint(port: 9870, targetPort: 9870, name: "http", isProxied: false)
            .WithEndpoint(targetPort: 8020, scheme: "tcp", name: "rpc")
            .WithReadinessCheck("http", new NamenodeReadinessProbe());
        var datanode = builder.AddContainer("datanode", ContainerImages.Hadoop.Image, ContainerImages.Hadoop.Tag)
            .WithArgs("hdfs", "datanode")
            .WithHadoopConfiguration()
            .WithVolume($"{volumes}-hdfs-data", "/data")
            .WithHttpEndpoint(port: 9864, targetPort: 9864, name: "http", isProxied: false)
            .WithReadinessCheck("http", new DatanodeReadinessProbe())
            // Started, not healthy: the namenode is ready only once a datanode has registered.
            .WaitForStart(namenode);
        return (namenode, datanode);
    }

    private static IResourceBuilder<ContainerResource> WithHadoopConfiguration(this IResourceBuilder<ContainerResource> container) =>
        container
            .WithBindMount("containers/hadoop/core-site.xml", $"{HadoopConf}/core-site.xml", isReadOnly: true)
            .WithBindMount("containers/hadoop/hdfs-site.xml", $"{HadoopConf}/hdfs-site.xml", isReadOnly: true)
            .WithEnvironment("HADOOP_HEAPSIZE_MAX", "1g")
            .WithMemoryLimit("2g");

    /// <summary>
    /// The Hive metastore, its Derby database on a volume so that tables and partitions survive a restart. The image
    /// initialises the schema unless IS_RESUME is true: true once the database exists.
    /// </summary>
    private static IResourceBuilder<ContainerResource> AddMetastore(this IDistributedApplicationBuilder builder, string volumes) =>
        builder.AddContainer("metastore", ContainerImages.Hive.Image, ContainerImages.Hive.Tag)
            .WithEntrypoint("sh")
            .WithArgs("-c", $"if [ -d {MetastoreDatabase} ]; then export IS_RESUME=true; fi; exec /entrypoint.sh")
            .WithEnvironment("SERVICE_NAME", "metastore")
            .WithEnvironment("HIVE_CUSTOM_CONF_DIR", "/hive_custom_conf")
            .WithBindMount("containers/hive", "/hive_custom_conf", isReadOnly: true)
            .WithVolume($"{volumes}-hive-metastore", MetastoreData)
            // The image's entrypoint gives the metastore -Xmx1G.
            .WithMemoryLimit("2g")
            .WithEndpoint(port: 9083, targetPort: 9083, scheme: "tcp", name: "thrift", isProxied: false)
            .WithReadinessCheck("thrift", new TcpReadinessProbe());

    /// <summary>
    /// Presto with a <c>hive</c> catalog over the metastore and HDFS, healthy once it answers a query over that
    /// catalog. node.properties stays the image's own: its entrypoint appends the node id to it. Internal when
    /// deployed: it has no password authenticator.
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
            .WithMemoryLimit("2g")
            .WithHttpEndpoint(port: port, targetPort: 8080, name: "http", isProxied: false)
            .WithReadinessCheck("http", new PrestoReadinessProbe())
            .WithUrlForEndpoint("http", url => url.DisplayText = "Presto")
            .WaitFor(metastore);
    }

    /// <summary>Spark's Thrift server (as the original's HIVE_THRIFTSERVER) over the same metastore, for Spark SQL.</summary>
    private static void AddSpark(this IDistributedApplicationBuilder builder, IResourceBuilder<ContainerResource> metastore) =>
        builder.AddContainer("spark", ContainerImages.Spark.Image, ContainerImages.Spark.Tag)
            .WithArgs("/opt/spark/sbin/start-thriftserver.sh")
            .WithEnvironment("SPARK_NO_DAEMONIZE", "true")
            .WithEnvironment("HIVE_SERVER2_THRIFT_BIND_HOST", "0.0.0.0")
            .WithSparkConfiguration()
            .WithEndpoint(port: 10000, targetPort: 10000, scheme: "tcp", name: "thrift", isProxied: false)
            .WithHttpEndpoint(targetPort: 4040, name: "ui")
            .WithReadinessCheck("thrift", new TcpReadinessProbe())
            .WaitFor(metastore);

    /// <summary>
    /// The lake's compaction in HDFS (containers/spark/compaction): a Spark job on a schedule rewrites closed days'
    /// files and switches each partition's location in the metastore. Section <c>SparkCompaction</c> sets it.
    /// </summary>
    private static void AddSparkCompaction(
        this IDistributedApplicationBuilder builder,
        ReferenceExpression lake,
        IResourceBuilder<ContainerResource> metastore,
        IResourceBuilder<ContainerResource> namenode,
        IResourceBuilder<ContainerResource> datanode)
    {
        const string job = "/opt/gameanalytics/compaction";
        var settings = builder.Configuration.GetSection("SparkCompaction");
        string Setting(string key, string fallback) => settings[key] ?? fallback;
        builder.AddContainer("spark-compaction", ContainerImages.Spark.Image, ContainerImages.Spark.Tag)
            .WithArgs("bash", $"{job}/run.sh")
            .WithBindMount("containers/spark/compaction", job, isReadOnly: true)
            .WithSparkConfiguration()
            .WithEnvironment("LAKE_LOCATION", ReferenceExpression.Create($"{lake}/lake"))
            .WithEnvironment("COMPACTION_INTERVAL_SECONDS", Setting("IntervalSeconds", "3600"))
            .WithEnvironment("COMPACTION_CLOSED_AFTER_DAYS", Setting("ClosedAfterDays", "1"))
            .WithEnvironment("COMPACTION_MIN_FILES", Setting("MinFiles", "8"))
            .WithEnvironment("COMPACTION_TARGET_FILE_MB", Setting("TargetFileMegabytes", "256"))
            .WithEnvironment("COMPACTION_RETENTION_MINUTES", Setting("RetentionMinutes", "60"))
            .WaitFor(metastore)
            .WaitFor(namenode)
            .WaitFor(datanode);
    }

    private static IResourceBuilder<ContainerResource> WithSparkConfiguration(this IResourceBuilder<ContainerResource> container) =>
        container
            .WithBindMount("containers/spark/hive-site.xml", "/opt/spark/conf/hive-site.xml", isReadOnly: true)
            .WithBindMount("containers/spark/spark-defaults.conf", "/opt/spark/conf/spark-defaults.conf", isReadOnly: true)
            .WithBindMount("containers/hadoop/core-site.xml", "/opt/spark/conf/core-site.xml", isReadOnly: true)
            // The lake's files belong to one HDFS user whichever engine writes them.
            .WithEnvironment("HADOOP_USER_NAME", "hadoop")
            .WithMemoryLimit("2g");

    /// <summary>A hard memory limit, so a JVM's heap can be checked against it (Tests/AppHost/EngineConfigurationTests).</summary>
    private static IResourceBuilder<ContainerResource> WithMemoryLimit(this IResourceBuilder<ContainerResource> container, string limit) =>
        container.WithContainerRuntimeArgs($"--memory={limit}");
}
