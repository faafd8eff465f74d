using System.Text;
using System.Text.Json;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Routing;

/// <summary>
/// Turns a Kafka record into a row of its table, or into a rejected record with the reason, through the envelope's
/// deserializer: the reference that <see cref="EventRecordReader"/> matches, and the path of every record it leaves.
/// </summary>
internal sealed class EventRecordParser(TableRouter router, TimeProvider clock)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public ParsedRecord Parse(ReadOnlySpan<byte> value, int partition, long offset, long timestampMs)
    {
        var record = new RecordPosition(partition, offset, timestampMs);
        var bytes = value.ToArray();
        if (!TryDecode(bytes, out var json))
        {
            return Reject(record, bytes, null, "The record is not UTF-8 text.");
        }

        EventEnvelope? envelope;
        try
        {
            envelope = EventEnvelope.FromUtf8Json(bytes);
        }
        catch (JsonException ex)
        {
            return Reject(record, bytes, json, $"The record is not a valid event envelope: {ex.Message}");
        }

        if (envelope is null)
        {
            return Reject(record, bytes, json, "The record is JSON null.");
        }

        if (Validate(envelope) is { } problem)
        {
            return Reject(record, bytes, json, problem);
        }

        if (!router.TryRoute(envelope.EventType, out var table))
        {
            return Reject(record, bytes, json, $"event_type '{envelope.EventType}' is not in this processor's event catalog.");
        }

        var landed = new LandedEvent(
            RawEvent: json,
            Timestamp: KafkaTimestamp.ToText(timestampMs),
            Accept: envelope.Accept,
            Host: envelope.Host,
            UserAgent: envelope.UserAgent,
            EventType: envelope.EventType,
            EventId: envelope.EventId.ToString(),
            UserId: envelope.UserId,
            ReceivedAt: envelope.ReceivedAt.UtcDateTime,
            ClientTime: envelope.ClientTime?.UtcDateTime,
            Properties: envelope.Properties is { ValueKind: JsonValueKind.Object } properties ? properties.GetRawText() : null,
            KafkaPartition: partition,
            KafkaOffset: offset,
            AppId: envelope.AppId);
        return new ParsedRecord(table, landed, null);
    }

    // The envelope's fields are declared non-null, but a record from another producer may still lack them.
    private static string? Validate(EventEnvelope envelope) => envelope switch
    {
        { SchemaVersion: not EventEnvelope.CurrentSchemaVersion } => $"Unknown schema_version {envelope.SchemaVersion}; this processor reads {EventEnvelope.CurrentSchemaVersion}.",
        { EventType: null or "" } => "event_type is missing.",
        { EventId: var id } when id == Guid.Empty => "event_id is missing.",
        { UserId: null or "" } => "user_id is missing.",
        { ReceivedAt: var at } when at == default => "received_at is missing.",
        _ => null,
    };

    private ParsedRecord Reject(RecordPosition record, byte[] bytes, string? text, string reason) =>
        new(TableNames.Rejected, null, new RejectedRecord(
            text,
            bytes,
            reason,
            record.Partition,
            record.Offset,
            DateTime.UnixEpoch.AddMilliseconds(record.TimestampMs),
            clock.GetUtcNow().UtcDateTime));

    private static bool TryDecode(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private readonly record struct RecordPosition(int Partition, long Offset, long TimestampMs);
}
