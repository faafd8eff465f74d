using System.Text.Json.Serialization;

namespace GameAnalytics.Cli.Simulation;

/// <summary>The end of a run as <c>--json</c> writes it: what was asked, what happened, and why events were lost.</summary>
/// <param name="LatencyMs">Null when no request got an answer, rather than zeros that read as a fast collector.</param>
internal sealed record SimulationSummary(
    string Scenario,
    string Collector,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    string StoppedBy,
    int ExitCode,
    SummarySettings Settings,
    long Requests,
    long Responses,
    SummaryEvents Events,
    double EventsPerSecond,
    SummaryLatency? LatencyMs,
    IReadOnlyDictionary<string, SummaryEventType> ByEventType,
    IReadOnlyList<SummaryCause> Causes)
{
    public static SimulationSummary From(SimulationSettings settings, ITrafficPlan plan, DateTimeOffset startedAt, SimulationSnapshot snapshot, StopReason stop, int exitCode) => new(
        plan.Scenario,
        settings.Collector.ToString(),
        startedAt,
        Math.Round(snapshot.Elapsed.TotalSeconds, 3),
        stop switch { StopReason.Interrupted => "interrupted", StopReason.DurationReached => "duration", _ => "completed" },
        exitCode,
        new SummarySettings(
            settings.Original ? 3 : settings.Users,
            settings.Original ? null : settings.Mix.ToString(),
            settings.Rate,
            settings.Events,
            settings.Original ? settings.Rounds : null,
            settings.Original ? settings.Interval.TotalSeconds : null,
            settings.Duration?.TotalSeconds,
            plan.BatchSize,
            settings.Connections,
            settings.Timeout.TotalSeconds,
            settings.Domain),
        snapshot.Requests,
        snapshot.Responses,
        new SummaryEvents(snapshot.Sent, snapshot.Accepted, snapshot.Rejected, snapshot.Failed, snapshot.StoppedEvents),
        Math.Round(snapshot.EventsPerSecond, 1),
        snapshot.Responses == 0 ? null : new SummaryLatency(Milliseconds(snapshot.P50), Milliseconds(snapshot.P90), Milliseconds(snapshot.P99), Milliseconds(snapshot.Max)),
        snapshot.ByBehaviour.Where(b => b.Sent > 0).ToDictionary(b => b.EventType, b => new SummaryEventType(b.Sent, b.Accepted, b.Rejected, b.Failed)),
        snapshot.Causes.Select(c => new SummaryCause(c.Cause, c.Outcome == Outcome.Rejected ? "rejected" : "failed", c.Count, c.Example)).ToList());

    private static double Milliseconds(TimeSpan latency) => Math.Round(latency.TotalMilliseconds, 3);
}

internal sealed record SummarySettings(
    int Users, string? Mix, double? Rate, long? Events, int? Rounds, double? IntervalSeconds, double? DurationSeconds, int Batch, int Connections, double TimeoutSeconds, string Domain);

/// <param name="StoppedInFlight">Events whose request Ctrl+C cut short: neither known stored nor known lost.</param>
internal sealed record SummaryEvents(long Sent, long Accepted, long Rejected, long Failed, long StoppedInFlight);

internal sealed record SummaryLatency(double P50, double P90, double P99, double Max);

internal sealed record SummaryEventType(long Sent, long Accepted, long Rejected, long Failed);

/// <param name="Outcome"><c>rejected</c> (the collector refused the event, 4xx) or <c>failed</c> (5xx, timeout, connection).</param>
internal sealed record SummaryCause(string Cause, string Outcome, long Events, string? Example);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true)]
[JsonSerializable(typeof(SimulationSummary))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;
