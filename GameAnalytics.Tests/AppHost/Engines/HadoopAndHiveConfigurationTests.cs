using System.Text.RegularExpressions;

namespace GameAnalytics.Tests.AppHost.Engines;

/// <summary>
/// HDFS's, the Hive metastore's and Spark's files (containers/) against what each needs to start and to find the
/// others: one file system address everywhere, the namenode's RPC address on the port the AppHost publishes,
/// HDFS's and Derby's folders on the containers' volumes (elsewhere a restart formats HDFS or forgets every table),
/// the warehouse in HDFS, and the metastore's address where Presto and Spark look for it.
/// </summary>
public sealed partial class HadoopAndHiveConfigurationTests(ContainersModel model) : IClassFixture<ContainersModel>
{
    [Fact]
    public async Task Every_engine_finds_hdfs_and_the_metastore_and_keeps_its_data_on_a_volume()
    {
        Assert.Empty(Problems(Settings(), await TopologyAsync()));
    }

    [Theory]
    [InlineData("hadoop/core-site.xml", "fs.defaultFS", "hdfs://localhost:8020", "fs.defaultFS")]
    [InlineData("hive/core-site.xml", "fs.defaultFS", "hdfs://namenode:9000", "fs.defaultFS")]
    [InlineData("hadoop/hdfs-site.xml", "dfs.namenode.rpc-address", "namenode:9000", "dfs.namenode.rpc-address")]
    [InlineData("hadoop/hdfs-site.xml", "dfs.namenode.name.dir", "/tmp/hadoop/dfs/name", "not on the namenode's volume")]
    [InlineData("hadoop/hdfs-site.xml", "dfs.datanode.data.dir", "file:///opt/hadoop/data", "not on the datanode's volume")]
    [InlineData("hadoop/hdfs-site.xml", "dfs.replication", "3", "dfs.replication")]
    [InlineData("hadoop/hdfs-site.xml", "dfs.namenode.http-address", "0.0.0.0:50070", "dfs.namenode.http-address")]
    [InlineData("hive/hive-site.xml", "javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=metastore_db;create=true", "Derby")]
    [InlineData("hive/hive-site.xml", "hive.metastore.warehouse.dir", "/opt/hive/data/warehouse", "warehouse")]
    [InlineData("spark/hive-site.xml", "hive.metastore.uris", "thrift://localhost:9083", "metastore")]
    [InlineData("presto/catalog/hive.properties", "hive.metastore.uri", "thrift://metastore:9093", "metastore")]
    [InlineData("spark/spark-defaults.conf", "spark.hadoop.fs.defaultFS", "hdfs://namenode:9820", "fs.defaultFS")]
    public async Task A_setting_that_breaks_the_topology_is_reported(string file, string key, string value, string problem)
    {
        var settings = Settings();
        settings[(file, key)] = value;

        Assert.Contains(Problems(settings, await TopologyAsync()), found => found.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_metastore_resumes_only_where_derby_keeps_its_database()
    {
        var topology = await TopologyAsync() with { MetastoreResumesIf = "/opt/hive/metastore_db" };

        Assert.Contains(Problems(Settings(), topology), found => found.Contains("IS_RESUME", StringComparison.Ordinal));
    }

    /// <summary>What the AppHost gives the containers that these files must agree with.</summary>
    private sealed record Topology(
        int NamenodeRpcPort,
        int NamenodeHttpPort,
        int DatanodeHttpPort,
        int MetastorePort,
        string[] NamenodeVolumes,
        string[] DatanodeVolumes,
        string[] MetastoreVolumes,
        int Datanodes,
        string? MetastoreResumesIf);

    private async Task<Topology> TopologyAsync()
    {
        var resume = ResumePattern().Match(string.Join(' ', await model.ArgsAsync("metastore")));
        return new Topology(
            model.TargetPort("namenode", "rpc"),
            model.TargetPort("namenode", "http"),
            model.TargetPort("datanode", "http"),
            model.TargetPort("metastore", "thrift"),
            model.Volumes("namenode").Select(volume => volume.Target).ToArray(),
            model.Volumes("datanode").Select(volume => volume.Target).ToArray(),
            model.Volumes("metastore").Select(volume => volume.Target).ToArray(),
            model.Resources.Count(resource => resource.Name.StartsWith("datanode", StringComparison.Ordinal)),
            resume.Success ? resume.Groups[1].Value : null);
    }

    private static List<string> Problems(IReadOnlyDictionary<(string File, string Key), string> settings, Topology topology)
    {
        var problems = new List<string>();
        string? Setting(string file, string key) => settings.GetValueOrDefault((file, key));

        var fileSystem = $"hdfs://namenode:{topology.NamenodeRpcPort}";
        foreach (var (file, key) in new[] { ("hadoop/core-site.xml", "fs.defaultFS"), ("hive/core-site.xml", "fs.defaultFS"), ("spark/spark-defaults.conf", "spark.hadoop.fs.defaultFS") })
        {
            if (Setting(file, key) != fileSystem)
            {
                problems.Add($"{file}: {key} is {Setting(file, key)}, not the namenode's RPC port as the AppHost publishes it ({fileSystem})");
            }
        }

        if (Setting("hadoop/hdfs-site.xml", "dfs.namenode.rpc-address") != $"namenode:{topology.NamenodeRpcPort}")
        {
            problems.Add($"hdfs-site.xml: dfs.namenode.rpc-address is {Setting("hadoop/hdfs-site.xml", "dfs.namenode.rpc-address")}, where fs.defaultFS points at namenode:{topology.NamenodeRpcPort}");
        }

        // Hadoop's defaults (hdfs-default.xml) where the file says nothing.
        if (Port(Setting("hadoop/hdfs-site.xml", "dfs.namenode.http-address") ?? "0.0.0.0:9870") != topology.NamenodeHttpPort)
        {
            problems.Add($"hdfs-site.xml: dfs.namenode.http-address is not on the namenode's published port {topology.NamenodeHttpPort}");
        }

        if (Port(Setting("hadoop/hdfs-site.xml", "dfs.datanode.http.address") ?? "0.0.0.0:9864") != topology.DatanodeHttpPort)
        {
            problems.Add($"hdfs-site.xml: dfs.datanode.http.address is not on the datanode's published port {topology.DatanodeHttpPort}");
        }

        CheckOnVolume(problems, "dfs.namenode.name.dir", LocalPath(Setting("hadoop/hdfs-site.xml", "dfs.namenode.name.dir")), topology.NamenodeVolumes, "namenode's");
        CheckOnVolume(problems, "dfs.datanode.data.dir", LocalPath(Setting("hadoop/hdfs-site.xml", "dfs.datanode.data.dir")), topology.DatanodeVolumes, "datanode's");
        if (int.Parse(Setting("hadoop/hdfs-site.xml", "dfs.replication") ?? "3", System.Globalization.CultureInfo.InvariantCulture) > topology.Datanodes)
        {
            problems.Add($"dfs.replication asks for more copies than the {topology.Datanodes} datanode(s) can hold: every block stays under-replicated");
        }

        var derby = DerbyPattern().Match(Setting("hive/hive-site.xml", "javax.jdo.option.ConnectionURL") ?? "");
        var database = derby.Success ? derby.Groups[1].Value : null;
        if (database is null || !database.StartsWith('/'))
        {
            problems.Add($"hive-site.xml: Derby's databaseName ({database ?? "not set"}) is relative to the metastore's working folder, inside the container: every restart forgets the tables");
        }
        else
        {
            CheckOnVolume(problems, "Derby's databaseName", database, topology.MetastoreVolumes, "metastore's");
            if (topology.MetastoreResumesIf != database)
            {
                problems.Add($"the metastore sets IS_RESUME when {topology.MetastoreResumesIf ?? "never"} exists, not when Derby's database {database} does");
            }
        }

        foreach (var (file, key) in new[] { ("hive/hive-site.xml", "hive.metastore.warehouse.dir"), ("spark/hive-site.xml", "hive.metastore.warehouse.dir"), ("spark/spark-defaults.conf", "spark.sql.warehouse.dir") })
        {
            if (Setting(file, key) is not { } warehouse || !warehouse.StartsWith(fileSystem + "/", StringComparison.Ordinal))
            {
                problems.Add($"{file}: the warehouse {key} is {Setting(file, key)}, not in HDFS ({fileSystem})");
            }
        }

        var metastore = $"thrift://metastore:{topology.MetastorePort}";
        foreach (var (file, key) in new[] { ("spark/hive-site.xml", "hive.metastore.uris"), ("presto/catalog/hive.properties", "hive.metastore.uri") })
        {
            if (Setting(file, key) != metastore)
            {
                problems.Add($"{file}: {key} is {Setting(file, key)}, not the metastore as the AppHost runs it ({metastore})");
            }
        }

        return problems;
    }

    private static void CheckOnVolume(List<string> problems, string setting, string? path, string[] volumes, string owner)
    {
        if (path is null || !volumes.Any(volume => path.StartsWith(volume.TrimEnd('/') + "/", StringComparison.Ordinal)))
        {
            problems.Add($"{setting} ({path ?? "not set"}) is not on the {owner} volume ({string.Join(", ", volumes)}): a new container starts without it");
        }
    }

    private static string? LocalPath(string? setting) =>
        setting is null ? null : setting.StartsWith("file://", StringComparison.Ordinal) ? new Uri(setting).AbsolutePath : setting;

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every setting of the engines' files, by file (relative to containers/) and name.</summary>
    private static Dictionary<(string File, string Key), string> Settings()
    {
        var files = new[] { "hadoop/core-site.xml", "hadoop/hdfs-site.xml", "hive/core-site.xml", "hive/hive-site.xml", "spark/hive-site.xml" }
            .Select(file => (File: file, Values: EngineFiles.HadoopXml(file)))
            .Append((File: "spark/spark-defaults.conf", Values: EngineFiles.SparkDefaults(File.ReadAllLines(EngineFiles.PathOf("spark/spark-defaults.conf")))))
            .Append((File: "presto/catalog/hive.properties", Values: EngineFiles.Properties(File.ReadAllLines(EngineFiles.PathOf("presto/catalog/hive.properties")))));
        return files.SelectMany(file => file.Values.Select(setting => (Key: (file.File, setting.Key), setting.Value)))
            .ToDictionary(setting => setting.Key, setting => setting.Value);
    }

    [GeneratedRegex(@"^jdbc:derby:;databaseName=([^;]+)")]
    private static partial Regex DerbyPattern();

    [GeneratedRegex(@"if \[ -d (\S+) \]; then export IS_RESUME=true")]
    private static partial Regex ResumePattern();
}
