namespace GameAnalytics.Streaming.Landing;

/// <summary>Either <see cref="Event"/> or <see cref="Rejected"/> is set; <see cref="Table"/> is where it lands.</summary>
internal sealed record ParsedRecord(string Table, LandedEvent? Event, RejectedRecord? Rejected);

/// <summary>One row of an event table: the original design's columns first, then ours.</summary>
internal sealed record LandedEvent(
    string RawEvent,
    string Timestamp,
    string? Accept,
    string? Host,
    string? UserAgent,
    string EventType,
    string EventId,
    string UserId,
    DateTime ReceivedAt,
    DateTime? ClientTime,
    string? Properties,
    int KafkaPartition,
    long KafkaOffset,
    string? AppId = null)
{
    /// <summary>The Hive partition: the UTC date of <see cref="ReceivedAt"/>.</summary>
    public DateOnly Dt => DateOnly.FromDateTime(ReceivedAt);
}

/// <summary>A record that could not be landed, kept with its raw bytes and the reason.</summary>
internal sealed record RejectedRecord(
    string? RawEvent,
    byte[] RawBytes,
    string Reason,
    int KafkaPartition,
    long KafkaOffset,
    DateTime KafkaTimestamp,
    DateTime RejectedAt)
{
    public DateOnly Dt => DateOnly.FromDateTime(RejectedAt);
}
