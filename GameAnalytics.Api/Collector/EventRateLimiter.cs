using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using GameAnalytics.Api.Kafka;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Collector;

/// <summary>A token bucket of events per write key, and per client address for anonymous requests.</summary>
internal sealed class EventRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly Counter<long> _throttled;
    private readonly TimeSpan _replenishmentPeriod;

    public EventRateLimiter(IOptions<CollectorOptions> options, IMeterFactory meterFactory)
    {
        var limits = options.Value.RateLimit;
        if (limits.IsEnabled)
        {
            // Refilled ten times a second, so a key sending steadily at its rate is never refused between refills.
            var tokensPerPeriod = Math.Max(1, limits.EventsPerSecond / 10);
            _replenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod / limits.EventsPerSecond);
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.Burst,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = _replenishmentPeriod,
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => bucket));
        }

        _throttled = meterFactory.Create(EventPublisher.MeterName)
            .CreateCounter<long>("gameanalytics.collector.events.throttled", "{event}", "Events refused (429) because their key or address was over its rate limit.");
    }

    /// <summary>Takes <paramref name="events"/> tokens; when the bucket has too few, takes none and says when to retry.</summary>
    public bool TryTake(HttpContext context, string? appId, int events, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        var partition = appId is null ? $"address:{context.Connection.RemoteIpAddress}" : $"key:{appId}";
        using var lease = _limiter.AttemptAcquire(partition, events);
        if (lease.IsAcquired)
        {
            return true;
        }

        // One refill more than the bucket's own estimate: its timer runs a little late, and a client that waits as told should fit.
        retryAfter = (lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1)) + _replenishmentPeriod;
        _throttled.Add(events, new KeyValuePair<string, object?>("app_id", appId));
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
