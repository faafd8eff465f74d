using Microsoft.Playwright;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The browser the tests drive: <c>CHROMIUM_PATH</c>, which test.sh sets, or else Playwright's own.</summary>
public static class Chromium
{
    // Without the background-networking flags, Chromium keeps dialling out, and a closed network refuses it.
    private static readonly string[] s_args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        try
        {
            return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = string.IsNullOrEmpty(path) ? null : path,
                Headless = true,
                Args = s_args,
            });
        }
        catch (PlaywrightException ex)
        {
            var tried = string.IsNullOrEmpty(path) ? "Playwright's own Chromium" : $"CHROMIUM_PATH={path}";
            throw new InvalidOperationException(
                $"No browser for the browser tests ({tried}: {ex.Message.Split('\n')[0]}). " +
                "Run ./test.sh, which finds or installs Chromium, or set CHROMIUM_PATH to a Chromium or Chrome executable.", ex);
        }
    }
}
