using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost;

/// <summary>The real AppHost through Aspire.Hosting.Testing: the embedded topology starts as one unit.</summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_embedded_topology_starts_and_an_event_sent_to_the_original_route_is_queryable_in_sql()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("gameanalytics-apphost-");
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GameAnalytics_AppHost>(
            [$"--DataDir={dataDirectory.FullName}"]);
        await using var app = await appHost.BuildAsync();
        using var cancellation = new CancellationTokenSource(StartTimeout);

        await app.StartAsync(cancellation.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("kafka", cancellation.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", cancellation.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("streaming", cancellation.Token);

        using var client = app.CreateHttpClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/purchase_a_sword");
        request.Headers.Host = "user1.datafun.com";
        using var response = await client.SendAsync(request, cancellation.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Sword Purchased!\n", await response.Content.ReadAsStringAsync(cancellation.Token));
        Assert.Equal(new Uri("http://localhost:5000/"), client.BaseAddress);

        using var lake = new LakeQuery(Path.Combine(dataDirectory.FullName, "lake"));
        await StreamingHost.WaitUntilAsync(() => lake.HasFiles("sword_purchases"), "the event lands in the lake under --DataDir");
        Assert.Equal("user1.datafun.com", lake.Rows($"select host from {lake.Table("sword_purchases")}").Single()[0]);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("query", cancellation.Token);
        using var sql = app.CreateHttpClient("query");
        var count = await PrestoHttp.RunAsync(sql, "select count(*) from sword_purchases where host = 'user1.datafun.com'");
        Assert.Equal(1, PrestoHttp.Single(count).GetInt64());

        await app.StopAsync(CancellationToken.None);
        dataDirectory.Delete(recursive: true);
    }
}
