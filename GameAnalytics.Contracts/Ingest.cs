namespace GameAnalytics.Contracts;

/// <summary>The collector's batch route.</summary>
public static class IngestRoutes
{
    /// <summary>POST one event or an array of events; the answer is an <see cref="IngestResponse"/>.</summary>
    public const string Events = "/v1/events";

    /// <summary>The most events one request may carry.</summary>
    public const int MaxEventsPerRequest = 1000;
}

/// <summary>One event as a client sends it to <c>POST /v1/events</c> (alone, or in an array of at most 1,000).</summary>
/// <param name="EventType">A type from the event catalog, e.g. <c>purchase_sword</c>.</param>
/// <param name="UserId">The player; when absent, the request's Host (e.g. <c>user1.datafun.com</c>).</param>
/// <param name="EventId">A UUID that makes client retries safe to deduplicate; when absent or invalid, a new UUIDv7.</param>
/// <param name="ClientTime">The client's clock, ISO 8601 with an offset.</param>
/// <param name="Properties">Game data: a JSON object.</param>
public sealed record IngestEvent(string EventType, string? UserId, string? EventId, DateTimeOffset? ClientTime, Dictionary<string, object?>? Properties);

/// <summary>The answer to <c>POST /v1/events</c>: one result per event sent, in order.</summary>
public sealed record IngestResponse(int Accepted, int Rejected, IReadOnlyList<EventResult> Results);

/// <param name="Index">The event's position in the request (0 for a single object).</param>
/// <param name="Status">One of <see cref="EventStatus"/>.</param>
/// <param name="EventId">The id stored with the event, when it was valid.</param>
/// <param name="Reason">Why the event was not accepted.</param>
public sealed record EventResult(int Index, string Status, Guid? EventId, string? Reason);

/// <summary>What became of one event of a request.</summary>
public static class EventStatus
{
    /// <summary>Durably in Kafka: it will land.</summary>
    public const string Accepted = "accepted";

    /// <summary>Invalid (see the reason); sending it again will not help.</summary>
    public const string Rejected = "rejected";

    /// <summary>Kafka did not acknowledge it; send it again, with the same event_id.</summary>
    public const string Failed = "failed";
}
