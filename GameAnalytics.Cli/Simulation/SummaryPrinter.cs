using Spectre.Console;

namespace GameAnalytics.Cli.Simulation;

/// <summary>Prints the end-of-run summary: events by type and outcome, throughput, latency, and every cause of loss.</summary>
internal sealed class SummaryPrinter(IAnsiConsole console)
{
    public void Print(SimulationSummary summary, SimulationSnapshot snapshot)
    {
        var stopped = summary.StoppedBy switch
        {
            "interrupted" => "[yellow]interrupted (Ctrl+C): the summary so far[/]",
            "duration" => "the duration ran out",
            _ => "done",
        };
        console.MarkupLineInterpolated($"[bold]Simulation ({summary.Scenario} scenario) against {summary.Collector}[/]");
        console.MarkupLine($"{Formatting.Count(summary.Requests)} requests in {DurationText.Format(snapshot.Elapsed)}, {stopped}");

        var events = new Table().Border(TableBorder.Rounded)
            .AddColumn("event type")
            .AddColumn(new TableColumn("sent").RightAligned())
            .AddColumn(new TableColumn("accepted").RightAligned())
            .AddColumn(new TableColumn("rejected").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned());
        foreach (var (type, counts) in summary.ByEventType)
        {
            events.AddRow(type, Formatting.Count(counts.Sent), Formatting.Count(counts.Accepted), Formatting.Count(counts.Rejected), Formatting.Count(counts.Failed));
        }

        var totals = summary.Events;
        events.AddRow(
            new Markup("[bold]total[/]"),
            new Markup($"[bold]{Formatting.Count(totals.Sent)}[/]"),
            new Markup($"[bold green]{Formatting.Count(totals.Accepted)}[/]"),
            new Markup($"[bold{(totals.Rejected > 0 ? " yellow" : "")}]{Formatting.Count(totals.Rejected)}[/]"),
            new Markup($"[bold{(totals.Failed > 0 ? " red" : "")}]{Formatting.Count(totals.Failed)}[/]"));
        console.Write(events);

        if (totals.StoppedInFlight > 0)
        {
            console.MarkupLine($"[yellow]{Formatting.Count(totals.StoppedInFlight)} events were in flight at Ctrl+C: whether they were stored is unknown.[/]");
        }

        console.MarkupLine(snapshot.Responses == 0
            ? $"rate {Formatting.Rate(summary.EventsPerSecond)}; latency: no request got an answer"
            : $"rate {Formatting.Rate(summary.EventsPerSecond)}; latency p50 {Formatting.Latency(snapshot.P50)}, p90 {Formatting.Latency(snapshot.P90)}, " +
              $"p99 {Formatting.Latency(snapshot.P99)}, max {Formatting.Latency(snapshot.Max)}");

        if (summary.Causes.Count > 0)
        {
            var causes = new Table().Border(TableBorder.Rounded).Title("[red]events not accepted, by cause[/]")
                .AddColumn("outcome")
                .AddColumn("cause")
                .AddColumn(new TableColumn("events").RightAligned())
                .AddColumn("example");
            foreach (var cause in summary.Causes)
            {
                causes.AddRow(
                    new Markup(cause.Outcome == "rejected" ? "[yellow]rejected[/]" : "[red]failed[/]"),
                    new Text(cause.Cause),
                    new Text(Formatting.Count(cause.Events)),
                    new Text(cause.Example ?? ""));
            }

            console.Write(causes);
        }

        if (snapshot.CollectorUnreachable)
        {
            console.MarkupLineInterpolated($"[red]Cannot reach the collector at {summary.Collector}: no request got an answer.[/]");
        }
    }
}
