namespace GameAnalytics.Api.Collector;

/// <summary>
/// Each write key, and each client address of anonymous requests, has a token bucket counted in events:
/// a batch of 1,000 events takes 1,000 tokens.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Events per second a key (or an anonymous address) may send over time; 0 turns the limit off.</summary>
    public int EventsPerSecond { get; set; } = 10_000;

    /// <summary>Events a key may send at once after a pause; at least <c>Collector:MaxBatchEvents</c>, so a full batch fits.</summary>
    public int Burst { get; set; } = 20_000;

    public bool IsEnabled => EventsPerSecond > 0;
}
