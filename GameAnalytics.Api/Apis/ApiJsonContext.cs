using System.Text.Json.Serialization;
using GameAnalytics.Contracts;

namespace GameAnalytics.Api.Apis;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(IngestEvent[]))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
