using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using GameAnalytics.Events.Catalog;
using GameAnalytics.Events.Envelope;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Collector;

/// <summary>Validates what a client sent and builds the envelope that goes to Kafka.</summary>
internal sealed class EventFactory(EventCatalog catalog, IOptions<CollectorOptions> options)
{
    private readonly CollectorOptions _options = options.Value;
    private readonly string _allowedTypes = string.Join(", ", catalog.Names);

    public EventCatalog Catalog => catalog;

    /// <summary>An event of one of the original routes: the type is the route's, the user the Host's.</summary>
    public bool TryCreate(string eventType, RequestMetadata request, [NotNullWhen(true)] out OutgoingEvent? outgoing, [NotNullWhen(false)] out string? reason) =>
        TryBuild(eventType, userId: null, eventId: null, clientTime: null, properties: null, request, out outgoing, out reason);

    /// <summary>An event of <c>/v1/events</c>: <c>{event_type, user_id?, event_id?, client_time?, properties?}</c>.</summary>
    public bool TryCreate(JsonElement json, RequestMetadata request, [NotNullWhen(true)] out OutgoingEvent? outgoing, [NotNullWhen(false)] out string? reason)
    {
        outgoing = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            reason = $"An event must be a JSON object, not {Describe(json.ValueKind)}.";
            return false;
        }

        string? eventType = null, userId = null, eventId = null;
        DateTimeOffset? clientTime = null;
        JsonElement? properties = null;
        foreach (var field in json.EnumerateObject())
        {
            var value = field.Value;
            if (!TryGetText(field, out var name) || (value.ValueKind == JsonValueKind.String && !TryGetText(value, out _)))
            {
                reason = $"{(name is null ? "A field name" : $"The value of {Truncate(name)}")} is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).";
                return false;
            }

            switch (name)
            {
                case "event_type" when value.ValueKind == JsonValueKind.String:
                    eventType = value.GetString();
                    break;
                case "user_id" when value.ValueKind == JsonValueKind.String:
                    userId = value.GetString();
                    break;
                case "event_id" when value.ValueKind == JsonValueKind.String:
                    eventId = value.GetString();
                    break;
                case "client_time" when value.ValueKind == JsonValueKind.String:
                    if (!TryParseTime(value.GetString()!, out var parsed))
                    {
                        reason = "client_time must be an ISO 8601 date and time with an offset, e.g. 2026-11-29T20:15:00Z.";
                        return false;
                    }

                    clientTime = parsed;
                    break;
                case "properties" when value.ValueKind == JsonValueKind.Object:
                    properties = value;
                    break;
                case "user_id" or "event_id" or "client_time" or "properties" when value.ValueKind == JsonValueKind.Null:
                    break;
                case "event_type" or "user_id" or "event_id" or "client_time":
                    reason = $"{name} must be a string, not {Describe(value.ValueKind)}.";
                    return false;
                case "properties":
                    reason = $"properties must be a JSON object, not {Describe(value.ValueKind)}.";
                    return false;
                default:
                    reason = $"Unknown field '{Truncate(name)}'. An event has event_type, user_id, event_id, client_time and properties; put game data in properties.";
                    return false;
            }
        }

        if (eventType is null)
        {
            reason = "event_type is required.";
            return false;
        }

        return TryBuild(eventType, userId, eventId, clientTime, properties, request, out outgoing, out reason);
    }

    private bool TryBuild(
        string eventType,
        string? userId,
        string? eventId,
        DateTimeOffset? clientTime,
        JsonElement? properties,
        RequestMetadata request,
        [NotNullWhen(true)] out OutgoingEvent? outgoing,
        [NotNullWhen(false)] out string? reason)
    {
        outgoing = null;
        if (!catalog.Contains(eventType))
        {
            reason = $"Unknown event_type '{Truncate(eventType)}'. Allowed types: {_allowedTypes}.";
            return false;
        }

        if (userId is not null && (userId.Length == 0 || userId.Length > _options.MaxUserIdLength))
        {
            reason = $"user_id must be between 1 and {_options.MaxUserIdLength} characters.";
            return false;
        }

        if (userId is null && request.HostUserId is { Length: var hostLength } && hostLength > _options.MaxUserIdLength)
        {
            reason = $"The Host header is longer than {_options.MaxUserIdLength} characters, the most a user_id may have: send user_id.";
            return false;
        }

        userId ??= request.HostUserId;
        if (userId is null)
        {
            reason = "user_id is required when the request has no Host header to derive it from.";
            return false;
        }

        if (properties is { } json && JsonMarshal.GetRawUtf8Value(json).Length > _options.MaxPropertiesBytes)
        {
            reason = $"properties is larger than {_options.MaxPropertiesBytes} bytes of JSON.";
            return false;
        }

        if (properties is { } game && !IsValidUnicode(game))
        {
            reason = "properties holds a name or string that is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).";
            return false;
        }

        var envelope = new EventEnvelope
        {
            EventId = Guid.TryParse(eventId, out var clientId) && clientId != Guid.Empty ? clientId : Guid.CreateVersion7(request.ReceivedAt),
            EventType = eventType,
            UserId = userId,
            AppId = request.AppId,
            ReceivedAt = request.ReceivedAt,
            ClientTime = clientTime,
            Host = request.Host,
            UserAgent = request.UserAgent,
            Accept = request.Accept,
            Properties = properties,
            Headers = request.Headers,
        };

        // Serialised here, with the request's other events, before any is produced: input that cannot be written
        // rejects its own event, never half a batch.
        try
        {
            outgoing = new OutgoingEvent(envelope.EventId, envelope.UserId, envelope.ReceivedAt, envelope.ToUtf8Json());
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            reason = "The event holds text that is not valid Unicode (in a header it keeps, perhaps) and cannot be written.";
            return false;
        }

        reason = null;
        return true;
    }

    private static bool TryGetText(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    private static bool TryGetText(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>Whether every name and string inside is text: JSON's escapes can spell a lone surrogate.</summary>
    private static bool IsValidUnicode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(property => TryGetText(property, out _) && IsValidUnicode(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(IsValidUnicode),
        JsonValueKind.String => TryGetText(element, out _),
        _ => true,
    };

    private static bool TryParseTime(string text, out DateTimeOffset time)
    {
        // An offset is required: a local time without one would land at the wrong instant.
        time = default;
        var timeStart = text.IndexOfAny(['T', 't']);
        if (timeStart <= 0
            || !(text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > timeStart)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        time = parsed.ToUniversalTime();
        return true;
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>A valid event, with the Kafka record value it was serialised to.</summary>
/// <summary>An event ready to produce: its envelope serialised, and what the answer and the Kafka record need of it.</summary>
/// <remarks>It keeps nothing of the request's JSON document, which is freed before the wait for Kafka.</remarks>
internal sealed record OutgoingEvent(Guid EventId, string UserId, DateTimeOffset ReceivedAt, byte[] Value);
