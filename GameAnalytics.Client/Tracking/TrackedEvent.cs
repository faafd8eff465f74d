using System.Buffers;
using System.Text.Json;
using GameAnalytics.Contracts;

namespace GameAnalytics.Client.Tracking;

/// <summary>
/// One event as tracked: its id and client time fixed once, its JSON written once, so that every retry sends the
/// same bytes and the pipeline lands it once.
/// </summary>
internal sealed class TrackedEvent(Guid id, string eventType, byte[] json)
{
    private static readonly JsonEncodedText EventTypeName = JsonEncodedText.Encode("event_type");
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText EventIdName = JsonEncodedText.Encode("event_id");
    private static readonly JsonEncodedText ClientTimeName = JsonEncodedText.Encode("client_time");
    private static readonly JsonEncodedText PropertiesName = JsonEncodedText.Encode("properties");

    // One writer per thread that tracks: events are written where they are tracked, without locks.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _writer;

    public Guid Id { get; } = id;

    public string EventType { get; } = eventType;

    /// <summary>The event as the collector reads it, UTF-8 JSON on one line.</summary>
    public byte[] Json { get; } = json;

    /// <summary>The event as <see cref="IngestEvent"/> reads it (Tests/Client checks that it does), written once.</summary>
    public static TrackedEvent Create(string eventType, string? userId, IReadOnlyDictionary<string, object?>? properties, DateTimeOffset now)
    {
        var id = UuidV7.New(now);
        var (buffer, writer) = _writer ??= (new ArrayBufferWriter<byte>(256), new Utf8JsonWriter(Stream.Null));
        buffer.Clear();
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            writer.WriteString(EventTypeName, eventType);
            if (userId is not null)
            {
                writer.WriteString(UserIdName, userId);
            }

            writer.WriteString(EventIdName, id);
            writer.WriteString(ClientTimeName, now);
            if (properties is not null)
            {
                writer.WritePropertyName(PropertiesName);
                JsonSerializer.Serialize(writer, properties, ContractJson.Options);
            }

            writer.WriteEndObject();
            writer.Flush();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // The writer may be left mid-object: the next event starts a new one.
            _writer = null;
            throw new ArgumentException($"A {eventType} event cannot be written as JSON: {ex.Message}", nameof(properties), ex);
        }

        return new TrackedEvent(id, eventType, buffer.WrittenSpan.ToArray());
    }

    /// <summary>An event read back from the spool; null when the line is not one (a write cut short by a crash).</summary>
    public static TrackedEvent? Parse(byte[] line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.TryGetProperty("event_id", out var id) && Guid.TryParse(id.GetString(), out var eventId)
                && root.TryGetProperty("event_type", out var type) && type.GetString() is { } eventType
                ? new TrackedEvent(eventId, eventType, line)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
