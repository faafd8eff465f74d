using System.Net.Http.Json;
using System.Text.Json;
using GameAnalytics.Presto;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Playwright;

namespace GameAnalytics.Tests.Query;

/// <summary>The insights page in headless Chromium: it renders, and its charts show what SQL answers.</summary>
public sealed class InsightsPageTests(QueryServiceProcess service) : IClassFixture<QueryServiceProcess>
{
    private Uri BaseAddress => service.BaseAddress;

    [Fact]
    public async Task The_page_renders_charts_with_the_numbers_sql_gives()
    {
        var sql = new PrestoClient(new HttpClient(), new PrestoClientOptions { Server = BaseAddress, User = "tests" });
        var joined = (await sql.QueryAllAsync("select count(distinct host) from join_guilds")).Rows.Single().GetInt64(0);
        var users = (await sql.QueryAllAsync("select count(distinct host) from (select host from sword_purchases union select host from catch_butterflies)")).Rows.Single().GetInt64(0);
        var catches = (await sql.QueryAllAsync("select count(*) / count(distinct host) from catch_butterflies")).Rows.Single().GetInt64(0);
        var slays = (await sql.QueryAllAsync("select count(*) / count(distinct host) from slay_dragons")).Rows.Single().GetInt64(0);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(BaseAddress, "/insights").ToString());
        await page.WaitForSelectorAsync("body[data-loaded=true]");

        Assert.Equal($"{joined * 100.0 / users:0.0}%", await page.TextContentAsync("#guild-share"));
        Assert.Equal($"{joined} of {users} users", await page.TextContentAsync("#guild-detail"));
        Assert.Equal([joined, users - joined], await ChartData(page, "guild-chart"));
        Assert.Equal([catches, slays], await ChartData(page, "per-user-chart"));
        Assert.Equal([44L, 22L], [catches, slays]);

        var perMinute = await page.EvaluateAsync<JsonElement>("() => window.insights.charts['per-minute-chart'].data.datasets.map(d => [d.label, d.data.reduce((a, b) => a + b, 0)])");
        var totals = perMinute.EnumerateArray().ToDictionary(d => d[0].GetString()!, d => d[1].GetInt64());
        Assert.Equal(132, totals["purchase_sword"]);
        Assert.Equal(88, totals["catch_butterfly"]);
        Assert.Equal(4, await page.Locator("canvas").CountAsync());
    }

    [Fact]
    public async Task The_same_answers_are_served_as_json()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };

        var summary = await http.GetFromJsonAsync<JsonElement>("/insights/api/summary");

        Assert.Equal(66.7, summary.GetProperty("guildShare").GetProperty("percent").GetDouble());
        Assert.Equal(44, summary.GetProperty("perUser").GetProperty("catches").GetDouble());
        Assert.Equal(22, summary.GetProperty("perUser").GetProperty("slays").GetDouble());
        Assert.Equal(3, summary.GetProperty("topUsers").GetArrayLength());
        Assert.Equal("user3.datafun.com", summary.GetProperty("topUsers")[0].GetProperty("user").GetString());
    }

    private static async Task<long[]> ChartData(IPage page, string chart) =>
        (await page.EvaluateAsync<double[]>($"() => window.insights.charts['{chart}'].data.datasets[0].data")).Select(value => (long)value).ToArray();
}
