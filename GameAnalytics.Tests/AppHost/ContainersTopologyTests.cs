using Aspire.Hosting;
using Aspire.Hosting.Testing;
using GameAnalytics.Presto;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// The containers topology on real engines: the original traffic goes through the collector and Kafka, lands in HDFS,
/// and Presto answers the original's questions from the Hive tables the streaming service registered.
/// </summary>
public sealed class ContainersTopologyTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    [ContainerRuntimeFact]
    public async Task The_original_traffic_lands_in_hdfs_and_presto_gives_the_original_answers()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GameAnalytics_AppHost>(["--Topology=containers"]);
        await using var app = await appHost.BuildAsync();
        using var cancellation = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(cancellation.Token);
        foreach (var resource in new[] { "namenode", "presto", "api", "streaming" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        }

        using var collector = app.CreateHttpClient("api");
        await OriginalTraffic.SendAsync(collector);

        using var http = new HttpClient();
        var presto = new PrestoClient(http, new PrestoClientOptions { Server = app.GetEndpoint("presto", "http"), User = "tests" });
        await StreamingHost.WaitUntilAsync(
            () => Count(presto, "catch_butterflies") == 2 * 2 * OriginalTraffic.Rounds && Count(presto, "join_guilds") == 2 * 2 * OriginalTraffic.Rounds,
            "the events are registered in Hive and visible to Presto", TimeSpan.FromMinutes(2));

        var (_, percent) = await presto.QueryAllAsync("select count(distinct host) * 100 / 3 as percent_users from join_guilds");
        var (_, avgCatch) = await presto.QueryAllAsync("select count(*) / count(distinct host) as avg_catch from catch_butterflies");
        Assert.Equal(66, percent.Single().GetInt64(0));
        Assert.Equal(44, avgCatch.Single().GetInt64(0));

        await app.StopAsync(CancellationToken.None);
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
}
