namespace GameAnalytics.Client.Delivery;

/// <summary>
/// Exponential backoff with jitter: attempt n waits between half and all of first × 2^(n-1), capped, so that many
/// games cut off together do not come back together. The collector's Retry-After is a floor.
/// </summary>
internal sealed class RetryDelays(TimeSpan first, TimeSpan max)
{
    private readonly Random _random = new();

    public TimeSpan Next(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var delay = TimeSpan.FromMilliseconds((ceiling / 2) + (_random.NextDouble() * ceiling / 2));
        return retryAfter is { } floor && floor > delay ? floor + TimeSpan.FromMilliseconds(_random.NextDouble() * first.TotalMilliseconds) : delay;
    }
}
