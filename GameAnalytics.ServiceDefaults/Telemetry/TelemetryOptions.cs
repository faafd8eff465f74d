namespace GameAnalytics.ServiceDefaults.Telemetry;

/// <summary>How much of the traffic a service traces; metrics always count all of it.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Traces this service starts per second at most (a second's worth may come at once). Requests that arrive
    /// with a sampled trace context, and failed or rejected requests, are traced whatever the rate. Ten a second
    /// still show each click in the dashboard, which spends about a millisecond of CPU on each span it stores.
    /// </summary>
    public double NewTracesPerSecond { get; set; } = 10;
}
