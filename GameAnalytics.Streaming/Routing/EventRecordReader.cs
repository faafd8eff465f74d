using System.Text.Json;
using System.Text.Unicode;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Routing;

/// <summary>
/// Reads a collector's event record straight from its bytes into a row: one pass of <see cref="Utf8JsonReader"/>, no
/// envelope object, no <see cref="JsonDocument"/>, no string per field. It reads only what it is sure of, with the
/// reader and rules of the envelope's own deserializer; every other record (one to reject, or a valid one in an
/// unusual shape: escaped names, a field given twice) it leaves to <see cref="EventRecordParser"/>, which says why.
/// </summary>
internal sealed class EventRecordReader(TableRouter router)
{
    [Flags]
    private enum Field
    {
        None = 0,
        SchemaVersion = 1 << 0,
        EventId = 1 << 1,
        EventType = 1 << 2,
        UserId = 1 << 3,
        ReceivedAt = 1 << 4,
        ClientTime = 1 << 5,
        AppId = 1 << 6,
        Host = 1 << 7,
        UserAgent = 1 << 8,
        Accept = 1 << 9,
        Properties = 1 << 10,
        Headers = 1 << 11,
        Required = EventId | EventType | UserId | ReceivedAt,
    }

    /// <summary>Adds the record's row to <paramref name="rows"/>, or adds nothing and returns false.</summary>
    /// <param name="eventId">The event's id, for the retry window.</param>
    public bool TryRead(ReadOnlySpan<byte> value, int partition, long offset, long timestampMs, EventRows rows, out Guid eventId)
    {
        eventId = default;
        if (!Utf8.IsValid(value))
        {
            return false;
        }

        var mark = rows.Mark();
        try
        {
            if (Read(value, partition, offset, timestampMs, rows, out eventId))
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not valid JSON, or a string that is no valid UTF-16 once unescaped: the parser says which.
        }

        rows.RollBack(mark);
        return false;
    }

    private bool Read(ReadOnlySpan<byte> value, int partition, long offset, long timestampMs, EventRows rows, out Guid eventId)
    {
        eventId = default;
        var raw = rows.AddText(value);
        ref var row = ref rows.Add();
        row.RawEvent = raw;
        row.KafkaPartition = partition;
        row.KafkaOffset = offset;
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        // The deserializer sets every init-only property, to its default when absent: no schema_version is version 0.
        var (seen, schemaVersion, receivedAt) = (Field.None, 0, default(DateTimeOffset));
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueIsEscaped ? Field.None : FieldNamed(reader.ValueSpan);
            if ((seen & field) != 0 || (field == Field.None && reader.ValueIsEscaped))
            {
                return false;
            }

            seen |= field;
            reader.Read();
            var ok = field switch
            {
                Field.SchemaVersion => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out schemaVersion),
                Field.EventId => reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out eventId),
                Field.EventType => TryReadText(ref reader, rows, nullable: false, out row.EventType),
                Field.UserId => TryReadText(ref reader, rows, nullable: false, out row.UserId),
                Field.ReceivedAt => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out receivedAt),
                Field.ClientTime => TryReadTime(ref reader, out row.ClientTime),
                Field.AppId => TryReadText(ref reader, rows, nullable: true, out row.AppId),
                Field.Host => TryReadText(ref reader, rows, nullable: true, out row.Host),
                Field.UserAgent => TryReadText(ref reader, rows, nullable: true, out row.UserAgent),
                Field.Accept => TryReadText(ref reader, rows, nullable: true, out row.Accept),
                Field.Properties => TryReadProperties(ref reader, raw, out row.Properties),
                Field.Headers => TryReadHeaders(ref reader, rows),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return false;
            }
        }

        // One object and nothing after it; the fields the envelope requires, valid, and a type this processor lands.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (seen & Field.Required) != Field.Required
            || schemaVersion != EventEnvelope.CurrentSchemaVersion || eventId == Guid.Empty || receivedAt == default
            || row.EventType.Length <= 0 || row.UserId.Length <= 0 || !router.TryRoute(rows.Text(row.EventType), out row.Table))
        {
            return false;
        }

        row.ReceivedAt = receivedAt.UtcDateTime;
        eventId.TryFormat(rows.Reserve(36), out var idLength);
        row.EventId = rows.Commit(idLength);
        row.Timestamp = rows.Commit(KafkaTimestamp.Format(timestampMs, rows.Reserve(KafkaTimestamp.Length)));
        return true;
    }

    private static Field FieldNamed(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("schema_version"u8) => Field.SchemaVersion,
        _ when name.SequenceEqual("event_id"u8) => Field.EventId,
        _ when name.SequenceEqual("event_type"u8) => Field.EventType,
        _ when name.SequenceEqual("user_id"u8) => Field.UserId,
        _ when name.SequenceEqual("received_at"u8) => Field.ReceivedAt,
        _ when name.SequenceEqual("client_time"u8) => Field.ClientTime,
        _ when name.SequenceEqual("app_id"u8) => Field.AppId,
        _ when name.SequenceEqual("host"u8) => Field.Host,
        _ when name.SequenceEqual("user_agent"u8) => Field.UserAgent,
        _ when name.SequenceEqual("accept"u8) => Field.Accept,
        _ when name.SequenceEqual("properties"u8) => Field.Properties,
        _ when name.SequenceEqual("headers"u8) => Field.Headers,
        _ => Field.None,
    };

    private static bool TryReadText(ref Utf8JsonReader reader, EventRows rows, bool nullable, out TextSlice text)
    {
        text = TextSlice.Null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return nullable;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // Unescaped text is never longer than its escaped form; CopyString throws on an invalid surrogate, as GetString does.
        text = reader.ValueIsEscaped ? rows.Commit(reader.CopyString(rows.Reserve(reader.ValueSpan.Length))) : rows.AddText(reader.ValueSpan);
        return true;
    }

    private static bool TryReadTime(ref Utf8JsonReader reader, out DateTime? time)
    {
        time = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            return false;
        }

        time = value.UtcDateTime;
        return true;
    }

    /// <summary>The object's text as sent, as <see cref="JsonElement.GetRawText"/> gives it; any other value is no properties.</summary>
    private static bool TryReadProperties(ref Utf8JsonReader reader, TextSlice raw, out TextSlice properties)
    {
        properties = TextSlice.Null;
        var start = (int)reader.TokenStartIndex;
        var isObject = reader.TokenType == JsonTokenType.StartObject;
        if (!reader.TrySkip())
        {
            return false;
        }

        if (isObject)
        {
            properties = new TextSlice(raw.Start + start, (int)reader.BytesConsumed - start);
        }

        return true;
    }

    /// <summary>Not landed, but the deserializer requires an object of strings (or null): so does this reader.</summary>
    private static bool TryReadHeaders(ref Utf8JsonReader reader, EventRows rows)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            if (reader.ValueIsEscaped)
            {
                // Unescaped into scratch space, only to throw where the deserializer's GetString would.
                reader.CopyString(rows.Reserve(reader.ValueSpan.Length));
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }
}
