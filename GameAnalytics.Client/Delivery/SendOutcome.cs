using System.Net;
using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Client.Delivery;

/// <summary>What one request did with its batch's events.</summary>
internal sealed class SendOutcome
{
    public List<TrackedEvent> Accepted { get; } = [];

    /// <summary>Refused for good, with the collector's reason: sending them again would not help.</summary>
    public List<(TrackedEvent Event, string Reason)> Rejected { get; } = [];

    /// <summary>To send again, with the same ids: the collector was unreachable, busy, or did not store them.</summary>
    public List<TrackedEvent> Retry { get; } = [];

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? Status { get; set; }

    /// <summary>The collector's <c>Retry-After</c>: the least time to wait before trying again.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Why the request failed, when it did: the exception or the collector's problem detail.</summary>
    public string? Problem { get; set; }

    public Exception? Exception { get; set; }

    public TimeSpan Elapsed { get; set; }
}
