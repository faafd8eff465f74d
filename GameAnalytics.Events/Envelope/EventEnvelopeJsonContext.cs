using System.Text.Json.Serialization;

namespace GameAnalytics.Events.Envelope;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EventEnvelope))]
internal sealed partial class EventEnvelopeJsonContext : JsonSerializerContext;
