using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// The containers topology's model, built by the real AppHost without starting anything: our machines have no
/// container runtime, so these prove the wiring (images, ports, mounts, environment, waits).
/// </summary>
public sealed class ContainersTopologyModelTests(ContainersModel model) : IClassFixture<ContainersModel>
{
    [Fact]
    public void Every_engine_is_a_pinned_container_and_nothing_embedded_remains()
    {
        var images = model.Resources.OfType<ContainerResource>().ToDictionary(
            resource => resource.Name,
            resource => resource.Annotations.OfType<ContainerImageAnnotation>().Single());

        Assert.Equal(["datanode", "kafka", "metastore", "namenode", "presto", "spark", "spark-compaction"], images.Keys.Order());
        Assert.All(images.Values, image => Assert.Matches(@"^\d+(\.\d+)+$", image.Tag));
        Assert.Equal("apache/kafka", images["kafka"].Image);
        Assert.Equal("apache/hadoop", images["namenode"].Image);
        Assert.Equal("apache/hive", images["metastore"].Image);
        Assert.Equal("prestodb/presto", images["presto"].Image);
        Assert.Equal("apache/spark", images["spark"].Image);
        Assert.Equal("apache/spark", images["spark-compaction"].Image);

        // The C# services run against these engines; the dev broker and the DuckDB query service are not in the model.
        Assert.Equal(["api", "simulator", "streaming"], model.Resources.OfType<ProjectResource>().Select(project => project.Name).Order());
    }

    [Theory]
    [InlineData("kafka", "tcp", 9092, 9092)]
    [InlineData("namenode", "http", 9870, 9870)]
    [InlineData("datanode", "http", 9864, 9864)]
    [InlineData("metastore", "thrift", 9083, 9083)]
    [InlineData("presto", "http", 8080, 8080)]
    [InlineData("spark", "thrift", 10000, 10000)]
    public void Engines_listen_on_the_original_fixed_ports(string resource, string endpoint, int port, int targetPort)
    {
        var annotation = Resource(resource).Annotations.OfType<EndpointAnnotation>().Single(candidate => candidate.Name == endpoint);

        Assert.Equal(port, annotation.Port);
        Assert.Equal(targetPort, annotation.TargetPort);
        Assert.False(annotation.IsProxied);
    }

    [Fact]
    public void The_configuration_files_in_the_repository_are_mounted_read_only()
    {
        var mounts = model.Resources.OfType<ContainerResource>()
            .SelectMany(resource => resource.Annotations.OfType<ContainerMountAnnotation>()
                .Where(mount => mount.Type == ContainerMountType.BindMount)
                .Select(mount => (resource.Name, mount)))
            .ToList();

        Assert.Contains(mounts, m => m.Name == "presto" && m.mount.Target == "/opt/presto-server/etc/catalog/hive.properties");
        Assert.Contains(mounts, m => m.Name == "namenode" && m.mount.Target == "/opt/hadoop/etc/hadoop/core-site.xml");
        Assert.Contains(mounts, m => m.Name == "metastore" && m.mount.Target == "/hive_custom_conf");
        Assert.Contains(mounts, m => m.Name == "spark" && m.mount.Target == "/opt/spark/conf/hive-site.xml");
        Assert.All(mounts, m =>
        {
            Assert.True(m.mount.IsReadOnly, $"{m.Name}: {m.mount.Target}");
            Assert.True(Path.Exists(m.mount.Source), $"{m.Name} mounts {m.mount.Source}, which is not in the repository");
        });

        var catalog = File.ReadAllText(mounts.Single(m => m.mount.Target.EndsWith("hive.properties", StringComparison.Ordinal)).mount.Source!);
        Assert.Contains("hive.metastore.uri=thrift://metastore:9083", catalog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_lands_in_hdfs_and_registers_tables_through_presto()
    {
        var environment = await model.EnvironmentAsync("streaming");

        Assert.Equal("localhost:{kafka.bindings.tcp.port}", environment["ConnectionStrings__kafka"]);
        Assert.Equal("{namenode.bindings.http.url}", environment["Lake__Hdfs__WebHdfsEndpoint"]);
        Assert.Equal("{datanode.bindings.http.url}", environment["Lake__Hdfs__DataNodeEndpoint"]);
        Assert.Equal("hdfs://namenode:8020", environment["Lake__Hdfs__FileSystem"]);
        Assert.Equal("{presto.bindings.http.url}", environment["Lake__Hive__PrestoEndpoint"]);
        Assert.DoesNotContain("GameAnalytics__DataDir", environment.Keys);
    }

    [Fact]
    public async Task The_kafka_container_advertises_the_address_the_services_are_given()
    {
        var kafka = await model.EnvironmentAsync("kafka");
        var api = await model.EnvironmentAsync("api");

        Assert.Contains("PLAINTEXT_HOST://localhost:9092", kafka["KAFKA_ADVERTISED_LISTENERS"], StringComparison.Ordinal);
        Assert.Equal("localhost:{kafka.bindings.tcp.port}", api["ConnectionStrings__kafka"]);
        Assert.Equal("12", kafka["KAFKA_NUM_PARTITIONS"]);
    }

    [Theory]
    [InlineData("datanode", new[] { "namenode" })]
    [InlineData("metastore", new[] { "namenode", "datanode" })]
    [InlineData("presto", new[] { "metastore" })]
    [InlineData("spark", new[] { "metastore" })]
    [InlineData("spark-compaction", new[] { "metastore", "namenode", "datanode" })]
    [InlineData("api", new[] { "kafka" })]
    [InlineData("streaming", new[] { "kafka", "namenode", "datanode", "presto" })]
    [InlineData("simulator", new[] { "api" })]
    public void Each_part_waits_for_what_it_needs(string resource, string[] dependencies)
    {
        var waits = Resource(resource).Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name);

        Assert.Equal(dependencies.Order(), waits.Order());
    }

    [Fact]
    public void The_datanode_waits_only_for_the_namenode_to_start_as_the_namenode_is_ready_only_with_a_datanode()
    {
        var wait = Resource("datanode").Annotations.OfType<WaitAnnotation>().Single();

        Assert.Equal("namenode", wait.Resource.Name);
        Assert.Equal(WaitType.WaitUntilStarted, wait.WaitType);
    }

    [Fact]
    public async Task The_namenode_is_formatted_only_where_its_mounted_configuration_keeps_its_data()
    {
        var environment = await model.EnvironmentAsync("namenode");
        var hdfsSite = Resource("namenode").Annotations.OfType<ContainerMountAnnotation>()
            .Single(mount => mount.Target.EndsWith("/hdfs-site.xml", StringComparison.Ordinal)).Source!;
        var nameDirectory = System.Xml.Linq.XDocument.Load(hdfsSite).Descendants("property")
            .Single(property => (string?)property.Element("name") == "dfs.namenode.name.dir").Element("value")!.Value;

        // starter.sh formats HDFS when this folder is missing: anywhere else, every start would wipe the lake.
        Assert.Equal(nameDirectory, environment["ENSURE_NAMENODE_DIR"]);
        Assert.Contains(Resource("namenode").Annotations.OfType<ContainerMountAnnotation>(),
            mount => mount.Type == ContainerMountType.Volume && nameDirectory.StartsWith(mount.Target + "/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("namenode")]
    [InlineData("datanode")]
    [InlineData("metastore")]
    [InlineData("presto")]
    [InlineData("spark")]
    public void Each_engine_is_healthy_only_through_its_readiness_check(string resource)
    {
        var checks = Resource(resource).Annotations.OfType<HealthCheckAnnotation>().Select(check => check.Key).ToList();

        // Not also an HTTP check that a web port's first answer would satisfy.
        Assert.Equal([$"{resource}_{(resource is "metastore" or "spark" ? "thrift" : "http")}_ready"], checks);
    }

    [Fact]
    public async Task The_metastore_keeps_derby_on_a_volume_and_resumes_when_its_database_exists()
    {
        Assert.Contains(model.Volumes("metastore"), volume => volume.Source == "gameanalytics-hive-metastore" && volume.Target == ContainersTopology.MetastoreData);
        Assert.Equal("sh", ((ContainerResource)Resource("metastore")).Entrypoint);
        Assert.Equal(["-c", $"if [ -d {ContainersTopology.MetastoreDatabase} ]; then export IS_RESUME=true; fi; exec /entrypoint.sh"], await model.ArgsAsync("metastore"));
    }

    [Fact]
    public async Task Spark_compaction_runs_the_job_in_the_repository_with_its_settings_from_configuration()
    {
        var job = model.MountedSource("spark-compaction", "/opt/gameanalytics/compaction");
        Assert.True(File.Exists(Path.Combine(job, "compact_lake.py")), $"{job} has no compact_lake.py");
        Assert.Equal(["bash", "/opt/gameanalytics/compaction/run.sh"], await model.ArgsAsync("spark-compaction"));
        var environment = await model.EnvironmentAsync("spark-compaction");
        Assert.Equal("3600", environment["COMPACTION_INTERVAL_SECONDS"]);
        Assert.Equal("hdfs://namenode:8020/lake", environment["LAKE_LOCATION"]);

        await using var configured = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GameAnalytics_AppHost>(
            ["--Topology=containers", "--SparkCompaction:IntervalSeconds=60", "--SparkCompaction:MinFiles=2"]);
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in configured.Resources.Single(resource => resource.Name == "spark-compaction").Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Equal("60", context.EnvironmentVariables["COMPACTION_INTERVAL_SECONDS"]);
        Assert.Equal("2", context.EnvironmentVariables["COMPACTION_MIN_FILES"]);
    }

    [Fact]
    public void The_simulator_waits_to_be_started_from_the_dashboard()
    {
        Assert.Contains(Resource("simulator").Annotations, annotation => annotation is ExplicitStartupAnnotation);
    }

    private IResource Resource(string name) => model.Resource(name);
}
