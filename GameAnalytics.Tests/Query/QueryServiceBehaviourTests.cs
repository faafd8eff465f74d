using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.Query;

/// <summary>Live data, concurrency and the time limit of the query service.</summary>
public sealed class QueryServiceBehaviourTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    [Fact]
    public async Task A_count_grows_as_new_files_land()
    {
        using var service = Service();
        using var client = service.CreateClient();
        Land(sequence: 0, count: 100);
        var before = PrestoHttp.Single(await PrestoHttp.RunAsync(client, "select count(*) from sword_purchases")).GetInt64();

        Land(sequence: 1, count: 50);
        var after = PrestoHttp.Single(await PrestoHttp.RunAsync(client, "select count(*) from sword_purchases")).GetInt64();

        Assert.Equal(100, before);
        Assert.Equal(150, after);
    }

    [Fact]
    public async Task Several_queries_run_at_once()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service();
        using var client = service.CreateClient();

        var counts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
            PrestoHttp.Single(await PrestoHttp.RunAsync(client, $"select count(*) + {i} from sword_purchases")).GetInt64() - i));

        Assert.All(counts, count => Assert.Equal(1000, count));
    }

    [Fact]
    public async Task A_query_past_the_time_limit_is_cancelled_with_a_presto_error()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service(("Query:Timeout", "00:00:00.300"));
        using var client = service.CreateClient();

        var responses = await PrestoHttp.RunAsync(client,
            "select count(*) from sword_purchases a, sword_purchases b, sword_purchases c, sword_purchases d where a.event_id < b.event_id");

        var error = responses[^1].GetProperty("error");
        Assert.Equal("EXCEEDED_TIME_LIMIT", error.GetProperty("errorName").GetString());
        Assert.Equal("INSUFFICIENT_RESOURCES", error.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task A_client_can_shorten_the_time_limit_through_its_session()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service();
        using var client = service.CreateClient();

        var responses = await PrestoHttp.RunAsync(client,
            "select count(*) from sword_purchases a, sword_purchases b, sword_purchases c, sword_purchases d where a.event_id < b.event_id",
            new Dictionary<string, string> { ["X-Presto-Session"] = "query_max_run_time=300ms" });

        Assert.Equal("EXCEEDED_TIME_LIMIT", responses[^1].GetProperty("error").GetProperty("errorName").GetString());
        Assert.True(responses[^1].GetProperty("stats").GetProperty("elapsedTimeMillis").GetInt64() < 30_000);
    }

    private WebApplicationFactory<QueryResults> Service(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Query:LakeRoot", _lake.Path);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private void Land(long sequence, int count)
    {
        var at = new DateTime(2026, 11, 29, 20, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, count).Select(i => LandedEvents.Create("purchase_sword", "user1.datafun.com", at, sequence * 10_000 + i)).ToList();
        LandedEvents.Write(_lake.Path, "sword_purchases", sequence, rows);
    }

    public void Dispose() => _lake.Dispose();
}
