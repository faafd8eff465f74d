using System.Text.Json;

namespace GameAnalytics.Events.Envelope;

/// <summary>
/// One event as the collector writes it to Kafka (the record value, JSON in snake_case).
/// The record key is <see cref="UserId"/>, so each user's events keep their order.
/// </summary>
public sealed record EventEnvelope
{
    /// <summary>Bumped when a field changes meaning; readers reject versions they do not know.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The client's id when it sent a valid UUID, otherwise a new UUIDv7.</summary>
    public required Guid EventId { get; init; }

    public required string EventType { get; init; }

    /// <summary>Given by the client, otherwise the request's host without port (<c>user1.datafun.com</c>).</summary>
    public required string UserId { get; init; }

    /// <summary>Server UTC time at which the collector accepted the request.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The client's own clock, if it sent one, normalised to UTC.</summary>
    public DateTimeOffset? ClientTime { get; init; }

    /// <summary>The game whose write key the request carried (the key's name in <c>Collector:WriteKeys</c>); null for keyless requests.</summary>
    public string? AppId { get; init; }

    public string? Host { get; init; }

    public string? UserAgent { get; init; }

    public string? Accept { get; init; }

    /// <summary>Free-form game data: a JSON object, or null.</summary>
    public JsonElement? Properties { get; init; }

    /// <summary>Request headers on the collector's allowlist, names in lower case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyHeaders;

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, EventEnvelopeJsonContext.Default.EventEnvelope);

    public static EventEnvelope? FromUtf8Json(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, EventEnvelopeJsonContext.Default.EventEnvelope);
}
