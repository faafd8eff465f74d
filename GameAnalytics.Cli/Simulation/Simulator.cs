using System.Text.Json;
using Spectre.Console;

namespace GameAnalytics.Cli.Simulation;

/// <summary>Runs a simulation: sends the plan's traffic, shows progress, prints and writes the summary, and picks the exit code.</summary>
internal sealed class Simulator(IAnsiConsole console, HttpMessageHandler? handler)
{
    /// <summary>Some events were rejected or failed.</summary>
    public const int EventsLost = 1;

    public async Task<int> RunAsync(SimulationSettings settings, CancellationToken interrupt)
    {
        var plan = settings.CreatePlan();
        using var ownHandler = handler is null ? CreateHandler(settings) : null;
        var http = handler ?? ownHandler!;
        using var client = CreateClient(settings, http);
        var target = new SimulationTarget(settings.Collector, settings.Domain, settings.Original ? 3 : settings.Users);
        console.MarkupLineInterpolated($"[bold]{Describe(settings, plan)}[/]");

        var startedAt = DateTimeOffset.UtcNow;
        var stats = new SimulationStats();
        var workers = 0;
        // Batches go through GameAnalytics.Client, as a game sends them; single events to the original routes.
        var runner = new LoadRunner(
            plan,
            () => plan.BatchSize == 1 ? new RequestWorker(client, target, plan, stats) : new ClientBatchWorker(settings, target, plan, stats, http, Interlocked.Increment(ref workers) - 1),
            stats,
            settings.Connections,
            settings.Duration);
        var run = runner.RunAsync(interrupt);
        await new ProgressDisplay(console, stats, $"gamectl simulate: {plan.Scenario} → {settings.Collector}").ShowWhileAsync(run);
        var stop = await run;

        var snapshot = stats.Snapshot();
        var exitCode = snapshot.CollectorUnreachable ? GameCtl.Unreachable
            : snapshot.Rejected + snapshot.Failed > 0 ? EventsLost
            : GameCtl.Ok;
        var summary = SimulationSummary.From(settings, plan, startedAt, snapshot, stop, exitCode);
        new SummaryPrinter(console).Print(summary, snapshot);
        if (settings.JsonPath is { } path)
        {
            await WriteJsonAsync(path, summary);
        }

        return exitCode;
    }

    private static SocketsHttpHandler CreateHandler(SimulationSettings settings) => new()
    {
        MaxConnectionsPerServer = settings.Connections,
        ConnectTimeout = settings.Timeout,

        // A proxy picked up from the environment would be measured instead of the collector.
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
    };

    private static HttpClient CreateClient(SimulationSettings settings, HttpMessageHandler http)
    {
        var client = new HttpClient(http, disposeHandler: false) { Timeout = settings.Timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("gamectl-simulate/1.0");
        if (settings.WriteKey is { Length: > 0 } key)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private async Task WriteJsonAsync(string path, SimulationSummary summary)
    {
        try
        {
            // Not the interrupt token: Ctrl+C asks for the summary so far, and that includes this file.
            await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(summary, SimulationJsonContext.Default.SimulationSummary), CancellationToken.None);
            console.MarkupLineInterpolated($"Summary written to {Path.GetFullPath(path)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]Cannot write the summary to {path}:[/] {ex.Message}");
        }
    }

    private static string Describe(SimulationSettings settings, ITrafficPlan plan)
    {
        var until = settings switch
        {
            { Original: true, Rounds: { } rounds } => rounds == 1 ? "1 round" : $"{rounds} rounds",
            { Original: false, Events: { } events } => $"{Formatting.Count(events)} events",
            _ => null,
        };
        if (settings.Duration is { } duration)
        {
            until = until is null ? DurationText.Format(duration) : $"{until} or {DurationText.Format(duration)}";
        }

        var stop = until is null ? "until Ctrl+C" : $"for {until} (Ctrl+C stops early)";
        return settings.Original
            ? $"The original traffic: {OriginalTrafficPlan.EventsPerRound} events every {DurationText.Format(settings.Interval)} from users 1 to 3, {stop}."
            : $"{Formatting.Count(settings.Users)} users, mix {settings.Mix}, " +
              $"{(settings.Rate is { } rate ? Formatting.Rate(rate) : "as fast as possible")}, " +
              $"{(plan.BatchSize == 1 ? "one request per event" : $"batches of {plan.BatchSize}")} over {settings.Connections} connections, {stop}.";
    }
}
