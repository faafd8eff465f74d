using System.Text.Json;
using GameAnalytics.Contracts;

namespace GameAnalytics.Client.Tracking;

/// <summary>
/// One event as tracked: its id and client time fixed once, its JSON written once, so that every retry sends the
/// same bytes and the pipeline lands it once.
/// </summary>
internal sealed class TrackedEvent(Guid id, string eventType, byte[] json)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public Guid Id { get; } = id;

    public string EventType { get; } = eventType;

    /// <summary>The event as the collector reads it, UTF-8 JSON on one line.</summary>
    public byte[] Json { get; } = json;

    public static TrackedEvent Create(string eventType, string? userId, IReadOnlyDictionary<string, object?>? properties, DateTimeOffset now)
    {
        var id = UuidV7.New(now);
        var copy = properties is null ? null : new Dictionary<string, object?>(properties.Count);
        if (properties is not null)
        {
            foreach (var property in properties)
            {
                copy![property.Key] = property.Value;
            }
        }

        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(new IngestEvent(eventType, userId, id.ToString("D"), now, copy), Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"The properties of a {eventType} event cannot be written as JSON: {ex.Message}", nameof(properties), ex);
        }

        return new TrackedEvent(id, eventType, json);
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
