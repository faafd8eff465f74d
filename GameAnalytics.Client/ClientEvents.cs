using System.Net;

namespace GameAnalytics.Client;

/// <summary>One event the client sent or gave up on: its id (the lake's <c>event_id</c>) and its type.</summary>
public readonly struct SentEvent(Guid eventId, string eventType)
{
    /// <summary>The id <see cref="GameAnalyticsClient.Track"/> returned: the event's <c>event_id</c> in the lake.</summary>
    public Guid EventId { get; } = eventId;

    /// <summary>The event's type, as tracked.</summary>
    public string EventType { get; } = eventType;
}

/// <summary>The collector stored these events: they will land in the lake, once each.</summary>
public sealed class EventsDeliveredEventArgs(IReadOnlyList<SentEvent> events, TimeSpan elapsed) : EventArgs
{
    /// <summary>The events, in the order they were tracked.</summary>
    public IReadOnlyList<SentEvent> Events { get; } = events;

    /// <summary>How long the request that delivered them took.</summary>
    public TimeSpan Elapsed { get; } = elapsed;
}

/// <summary>The collector refused an event for good (an unknown type, a bad write key, ...); it is not sent again.</summary>
public sealed class EventRejectedEventArgs(SentEvent rejected, HttpStatusCode status, string reason) : EventArgs
{
    /// <summary>The refused event.</summary>
    public SentEvent Event { get; } = rejected;

    /// <summary>The answer's status: 202 when the other events of its request were accepted, 400 or another 4xx otherwise.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The collector's reason, as it said it.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Why events were dropped without reaching the collector.</summary>
public enum DropReason
{
    /// <summary>The spool was full: the oldest unsent events made room for new ones.</summary>
    SpoolFull,

    /// <summary>The client was disposed in memory mode before they could be sent.</summary>
    Disposed,

    /// <summary>A spool file held a line that is no event: a write cut short when the game was killed.</summary>
    Unreadable,
}

/// <summary>Events went without reaching the collector; <see cref="GameAnalyticsClient.DroppedEvents"/> counts them too.</summary>
public sealed class EventsDroppedEventArgs(int count, DropReason reason) : EventArgs
{
    /// <summary>How many events were dropped.</summary>
    public int Count { get; } = count;

    /// <summary>Why they were dropped.</summary>
    public DropReason Reason { get; } = reason;
}

/// <summary>A send failed and will be tried again after <see cref="RetryIn"/>: the collector unreachable, busy or failing.</summary>
public sealed class SendFailedEventArgs(int events, HttpStatusCode? status, string problem, Exception? exception, TimeSpan retryIn, int attempt, TimeSpan elapsed) : EventArgs
{
    /// <summary>How many events wait for the retry.</summary>
    public int Events { get; } = events;

    /// <summary>The answer's status (408, 429, 5xx), or null when no answer came.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>What went wrong: the collector's problem detail, or the network error's message.</summary>
    public string Problem { get; } = problem;

    /// <summary>The network error, when no answer came.</summary>
    public Exception? Exception { get; } = exception;

    /// <summary>When the next attempt is made: never sooner than the collector's Retry-After.</summary>
    public TimeSpan RetryIn { get; } = retryIn;

    /// <summary>1 for the first failure of these events, then 2, 3, ...</summary>
    public int Attempt { get; } = attempt;

    /// <summary>How long the failed request took.</summary>
    public TimeSpan Elapsed { get; } = elapsed;
}
