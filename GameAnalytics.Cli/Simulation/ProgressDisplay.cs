using Spectre.Console;
using Spectre.Console.Rendering;

namespace GameAnalytics.Cli.Simulation;

/// <summary>Shows the run as it goes: a live table on a terminal, plain lines when output goes to a file or a CI log.</summary>
internal sealed class ProgressDisplay(IAnsiConsole console, SimulationStats stats, string title)
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(500);

    // A log gains nothing from two lines a second; one a second still shows a stall promptly.
    private static readonly TimeSpan PlainRefresh = TimeSpan.FromSeconds(1);

    private long _lastCompleted;
    private TimeSpan _lastElapsed;

    public async Task ShowWhileAsync(Task run)
    {
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            await console.Live(Render(stats.Snapshot()))
                .AutoClear(true)
                .StartAsync(async context =>
                {
                    while (!run.IsCompleted)
                    {
                        await Task.WhenAny(run, Task.Delay(LiveRefresh));
                        context.UpdateTarget(Render(stats.Snapshot()));
                    }
                });
        }
        else
        {
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(PlainRefresh));
                if (!run.IsCompleted)
                {
                    // Straight to the writer: a log line wrapped at the console's guessed width is harder to grep.
                    console.Profile.Out.Writer.WriteLine(PlainLine(stats.Snapshot()));
                }
            }
        }

        await run;
    }

    private IRenderable Render(SimulationSnapshot snapshot)
    {
        // Label and value per row: it fits an 80-column terminal, which ten columns side by side do not.
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).HideHeaders()
            .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("elapsed", DurationText.Format(snapshot.Elapsed));
        table.AddRow("sent", Formatting.Count(snapshot.Sent));
        table.AddRow(new Text("accepted"), new Markup($"[green]{Formatting.Count(snapshot.Accepted)}[/]"));
        table.AddRow(new Text("rejected (4xx)"), new Markup(snapshot.Rejected > 0 ? $"[yellow]{Formatting.Count(snapshot.Rejected)}[/]" : "0"));
        table.AddRow(new Text("failed (5xx, timeouts, connections)"), new Markup(snapshot.Failed > 0 ? $"[red]{Formatting.Count(snapshot.Failed)}[/]" : "0"));
        table.AddRow("in flight", Formatting.Count(snapshot.InFlight));
        table.AddRow("rate now / average", $"{Formatting.Rate(CurrentRate(snapshot))} / {Formatting.Rate(snapshot.EventsPerSecond)}");
        table.AddRow("latency p50 / p99", $"{Formatting.Latency(snapshot.P50)} / {Formatting.Latency(snapshot.P99)}");
        foreach (var cause in snapshot.Causes.Take(5))
        {
            table.AddRow(
                new Markup($"[{(cause.Outcome == Outcome.Rejected ? "yellow" : "red")}]{Markup.Escape(cause.Cause)}[/]"),
                new Text(Formatting.Count(cause.Count)));
        }

        return table;
    }

    private string PlainLine(SimulationSnapshot snapshot)
    {
        var line = $"[{DurationText.Format(snapshot.Elapsed)}] sent {Formatting.Count(snapshot.Sent)}, accepted {Formatting.Count(snapshot.Accepted)}, " +
            $"rejected {Formatting.Count(snapshot.Rejected)}, failed {Formatting.Count(snapshot.Failed)}, in flight {Formatting.Count(snapshot.InFlight)}; " +
            $"{Formatting.Rate(CurrentRate(snapshot))} now, p50 {Formatting.Latency(snapshot.P50)}, p99 {Formatting.Latency(snapshot.P99)}";
        return snapshot.Causes.Count == 0 ? line : line + "; " + string.Join(", ", snapshot.Causes.Take(3).Select(c => $"{c.Cause}: {Formatting.Count(c.Count)}"));
    }

    /// <summary>Events completed since the previous refresh, per second: the average hides a run that has stalled.</summary>
    private double CurrentRate(SimulationSnapshot snapshot)
    {
        var seconds = (snapshot.Elapsed - _lastElapsed).TotalSeconds;
        var rate = seconds > 0 ? (snapshot.Completed - _lastCompleted) / seconds : 0;
        _lastCompleted = snapshot.Completed;
        _lastElapsed = snapshot.Elapsed;
        return rate;
    }
}
