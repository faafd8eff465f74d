using System.Net;
using Aspire.Hosting.Testing;
using GameAnalytics.Presto;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost;

/// <summary>The real AppHost through Aspire.Hosting.Testing: the embedded topology starts as one unit and the pipeline answers.</summary>
[Collection(EmbeddedAppHostCollection.Name)]
public sealed class AppHostTests(EmbeddedAppHostFixture fixture)
{
    [Fact]
    public async Task An_event_sent_to_the_original_route_lands_under_the_data_folder_and_is_queryable_in_sql()
    {
        var host = $"probe-{Guid.NewGuid():N}.datafun.com";
        using var client = fixture.App.CreateHttpClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/purchase_a_sword");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Sword Purchased!\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(new Uri("http://localhost:5000/"), client.BaseAddress);

        using var lake = new LakeQuery(Path.Combine(fixture.DataDirectory, "lake"));
        await StreamingHost.WaitUntilAsync(
            () => lake.HasFiles("sword_purchases") && lake.Rows($"select count(*) from {lake.Table("sword_purchases")} where host = '{host}'").Single()[0] is 1L,
            "the event lands in the lake under --DataDir");

        using var sql = fixture.App.CreateHttpClient("query");
        Assert.Equal(new Uri("http://localhost:8080/"), sql.BaseAddress);
        var count = await PrestoHttp.RunAsync(sql, $"select count(*) from sword_purchases where host = '{host}'");
        Assert.Equal(1, PrestoHttp.Single(count).GetInt64());
    }

    [Fact]
    public async Task The_original_traffic_gives_the_original_answers_through_the_presto_protocol()
    {
        using var collector = fixture.App.CreateHttpClient("api");
        await OriginalTraffic.SendAsync(collector);

        using var http = new HttpClient();
        var presto = new PrestoClient(http, new PrestoClientOptions { Server = fixture.App.GetEndpoint("query", "http"), User = "tests" });
        await WaitUntilCountAsync(presto, "catch_butterflies", 2 * 2 * OriginalTraffic.Rounds);
        await WaitUntilCountAsync(presto, "slay_dragons", 3 * OriginalTraffic.Rounds);
        await WaitUntilCountAsync(presto, "join_guilds", 2 * 2 * OriginalTraffic.Rounds);

        var percentUsers = await ScalarAsync(presto, "select count(distinct host) * 100 / 3 as percent_users from join_guilds");
        var avgCatch = await ScalarAsync(presto, "select count(*) / count(distinct host) as avg_catch from catch_butterflies");
        var avgSlays = await ScalarAsync(presto, "select count(*) / count(distinct host) as avg_slays from slay_dragons");

        Assert.Equal(66, percentUsers);
        Assert.Equal(44, avgCatch);
        Assert.Equal(2, avgCatch / avgSlays);
    }

    private static async Task WaitUntilCountAsync(PrestoClient presto, string table, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long seen = -1;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                seen = await ScalarAsync(presto, $"select count(*) from {table}");
                if (seen == expected)
                {
                    return;
                }
            }
            catch (PrestoQueryException)
            {
                // The table appears with its first file.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{table} holds {seen} events, not {expected}, after 60 s.");
    }

    private static async Task<long> ScalarAsync(PrestoClient presto, string sql)
    {
        var (_, rows) = await presto.QueryAllAsync(sql);
        return rows.Single().GetInt64(0);
    }
}
