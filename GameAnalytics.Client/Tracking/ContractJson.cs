using System.Text.Json;

namespace GameAnalytics.Client.Tracking;

/// <summary>How the collector's contract types are named in JSON: snake_case, as the collector writes and reads them.</summary>
internal static class ContractJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
