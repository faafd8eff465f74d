using System.Diagnostics;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace GameAnalytics.Tests.Api;

/// <summary>
/// A browser game in Chromium: a page of an allowed origin sends events with <c>fetch</c> (JSON, after a CORS
/// preflight) and with <c>navigator.sendBeacon</c> (text/plain), and they land; from another origin, nothing lands.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class BrowserGameTests(DevBrokerFixture kafka) : IAsyncLifetime
{
    private readonly int _collectorPort = TestPorts.Free();
    private readonly int _allowedPort = TestPorts.Free();
    private readonly int _otherPort = TestPorts.Free();
    private Process? _collector;
    private WebApplication? _pages;

    private string Collector => $"http://127.0.0.1:{_collectorPort}";

    public async Task InitializeAsync()
    {
        _collector = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GameAnalytics.Api.dll"), "--urls", Collector])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
                ["Collector__AllowedOrigins__0"] = $"http://127.0.0.1:{_allowedPort}",
                ["Collector__AllowAnonymous"] = "true",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
        })!;
        _collector.OutputDataReceived += (_, _) => { };
        _collector.ErrorDataReceived += (_, _) => { };
        _collector.BeginOutputReadLine();
        _collector.BeginErrorReadLine();

        // The game's page, served from two origins: one the collector allows, one it does not.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_allowedPort}", $"http://127.0.0.1:{_otherPort}");
        _pages = builder.Build();
        _pages.MapGet("/", () => Results.Content("<!doctype html><title>game</title><p>a game</p>", "text/html"));
        await _pages.StartAsync();

        using var http = new HttpClient();
        await StreamingHost.WaitUntilAsync(() => Answers(http), "the collector answers", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_page_of_an_allowed_origin_lands_events_with_fetch_and_send_beacon_and_another_origin_lands_none()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var allowed = await SendFromPage(browser, _allowedPort, $"fetch-{run}", $"beacon-{run}");
        var other = await SendFromPage(browser, _otherPort, $"fetch-other-{run}", $"beacon-other-{run}");

        Assert.Equal("202", allowed.Fetch);
        Assert.True(allowed.BeaconQueued);
        Assert.Equal("blocked", other.Fetch);
        Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, $"fetch-{run}", expected: 1, TimeSpan.FromSeconds(20)));
        Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, $"beacon-{run}", expected: 1, TimeSpan.FromSeconds(20)));
        Assert.Empty(EventsTopic.Read(kafka.BootstrapServers, key => key is not null && key.Contains($"other-{run}"), expected: 1, TimeSpan.FromSeconds(3)));
    }

    private async Task<(string Fetch, bool BeaconQueued)> SendFromPage(IBrowser browser, int port, string fetchUser, string beaconUser)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        var fetch = await page.EvaluateAsync<string>(
            """
            async ([url, user]) => {
              try {
                const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                  body: JSON.stringify([{ event_type: 'catch_butterfly', user_id: user }]) });
                return String(response.status);
              } catch { return 'blocked'; }
            }
            """, new[] { $"{Collector}/v1/events", fetchUser });
        var beacon = await page.EvaluateAsync<bool>(
            "([url, user]) => navigator.sendBeacon(url, JSON.stringify({ event_type: 'slay_dragon', user_id: user }))",
            new[] { $"{Collector}/v1/events", beaconUser });
        // A beacon is sent after the call returns: give it time to leave before the page goes.
        await page.WaitForTimeoutAsync(1000);
        await page.CloseAsync();
        return (fetch, beacon);
    }

    private bool Answers(HttpClient http)
    {
        try
        {
            return http.GetAsync($"{Collector}/openapi/v1.json").Result.IsSuccessStatusCode;
        }
        catch (AggregateException ex) when (ex.InnerException is HttpRequestException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        _collector?.Kill(entireProcessTree: true);
        _collector?.Dispose();
        if (_pages is not null)
        {
            await _pages.DisposeAsync();
        }
    }
}
