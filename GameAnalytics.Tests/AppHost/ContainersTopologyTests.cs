using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using GameAnalytics.Presto;
using GameAnalytics.Tests.Fixtures;
using Xunit.Abstractions;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// The containers topology on real engines (bench/containers-smoke.sh runs this): the original traffic goes through
/// the collector and Kafka, lands in HDFS, and Presto and Spark SQL answer the original's questions from the Hive
/// tables the streaming service registered; after a restart without the streaming service, the catalog still has
/// them. On volumes of its own, removed at the end.
/// </summary>
public sealed partial class ContainersTopologyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The original's questions, as Presto runs them (integer division) and as Spark SQL does (<c>div</c>).</summary>
    private static readonly (string Name, string Presto, string Spark, long Answer)[] Questions =
    [
        ("percent of players in guilds", "select count(distinct host) * 100 / 3 from join_guilds", "select count(distinct host) * 100 div 3 from join_guilds", 66),
        ("butterflies per player", "select count(*) / count(distinct host) from catch_butterflies", "select count(*) div count(distinct host) from catch_butterflies", 44),
        ("dragons per player", "select count(*) / count(distinct host) from slay_dragons", "select count(*) div count(distinct host) from slay_dragons", 22),
    ];

    [ContainerRuntimeFact]
    public async Task The_original_traffic_gets_the_original_answers_from_presto_and_spark_and_the_catalog_survives_a_restart()
    {
        var volumes = $"gameanalytics-test-{Guid.NewGuid():N}"[..27];
        try
        {
            long guildEvents;
            await using (var app = await StartAsync(volumes, withStreaming: true))
            {
                using var collector = app.CreateHttpClient("api");
                await OriginalTraffic.SendAsync(collector);

                var presto = Presto(app);
                await StreamingHost.WaitUntilAsync(
                    () => Count(presto, "catch_butterflies") == 2 * 2 * OriginalTraffic.Rounds && Count(presto, "slay_dragons") == 3 * OriginalTraffic.Rounds
                        && Count(presto, "join_guilds") == 2 * 2 * OriginalTraffic.Rounds,
                    "the events are registered in Hive and visible to Presto", TimeSpan.FromMinutes(2));
                guildEvents = Count(presto, "join_guilds");

                var differences = new List<string>();
                foreach (var (name, prestoSql, sparkSql, answer) in Questions)
                {
                    var fromPresto = (await presto.QueryAllAsync(prestoSql)).Rows.Single().GetInt64(0);
                    var fromSpark = long.Parse(await SparkSqlAsync(sparkSql), System.Globalization.CultureInfo.InvariantCulture);
                    output.WriteLine($"{name}: Presto {fromPresto}, Spark SQL {fromSpark}, the original {answer}");
                    if (fromPresto != answer || fromSpark != answer)
                    {
                        differences.Add(name);
                    }
                }

                output.WriteLine($"butterflies to dragons: {Questions[1].Answer / Questions[2].Answer}:1");
                Assert.Empty(differences);
                await app.StopAsync();
            }

            // Without the streaming service nothing registers tables again: only the metastore's volume can know them.
            await using (var app = await StartAsync(volumes, withStreaming: false))
            {
                Assert.Equal(guildEvents, Count(Presto(app), "join_guilds"));
                Assert.Matches(@"^dt=\d{4}-\d{2}-\d{2}", await SparkSqlAsync("show partitions join_guilds"));
                output.WriteLine($"after a restart: join_guilds has {guildEvents} rows in Presto and its partitions in Spark");
                await app.StopAsync();
            }
        }
        finally
        {
            foreach (var volume in new[] { "kafka", "hdfs-name", "hdfs-data", "hive-metastore" })
            {
                await CommandLine.RunAsync(ContainerRuntimeFactAttribute.Runtime!, "volume", "rm", "-f", $"{volumes}-{volume}");
            }
        }
    }

    private static async Task<DistributedApplication> StartAsync(string volumes, bool withStreaming)
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GameAnalytics_AppHost>(["--Topology=containers", $"--Containers:VolumePrefix={volumes}"]);
        if (!withStreaming)
        {
            appHost.Resources.Remove(appHost.Resources.Single(resource => resource.Name == "streaming"));
        }

        var app = await appHost.BuildAsync();
        using var cancellation = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(cancellation.Token);
        foreach (var resource in new[] { "namenode", "datanode", "metastore", "presto", "spark", "api" }.Concat(withStreaming ? ["streaming"] : []))
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        }

        return app;
    }

    private static PrestoClient Presto(DistributedApplication app) =>
        new(new HttpClient(), new PrestoClientOptions { Server = app.GetEndpoint("presto", "http"), User = "tests" });

    /// <summary>Spark SQL through Spark's Thrift server, with the beeline client inside the spark container.</summary>
    private static async Task<string> SparkSqlAsync(string sql)
    {
        var containers = await CommandLine.RunAsync(ContainerRuntimeFactAttribute.Runtime!, "ps", "--format", "{{.Names}}");
        var spark = containers.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(name => SparkContainer().IsMatch(name));
        var answer = await CommandLine.RunAsync(ContainerRuntimeFactAttribute.Runtime!, "exec", spark, "/opt/spark/bin/beeline",
            "-u", "jdbc:hive2://localhost:10000", "--silent=true", "--showHeader=false", "--outputformat=csv2", "-e", sql);
        Assert.True(answer.ExitCode == 0, $"Spark SQL failed on {sql}: {answer}");
        return answer.Output.Trim();
    }

    private static long Count(PrestoClient presto, string table)
    {
        try
        {
            return presto.QueryAllAsync($"select count(*) from {table}").GetAwaiter().GetResult().Rows.Single().GetInt64(0);
        }
        catch (PrestoQueryException)
        {
            return -1;
        }
    }

    /// <summary>The Thrift server's container, as the container runtime names it (not spark-compaction's).</summary>
    [GeneratedRegex(@"^spark-[a-z0-9]+$")]
    private static partial Regex SparkContainer();
}
