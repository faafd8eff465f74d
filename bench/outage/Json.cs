using System.Text.Json;
using System.Text.Json.Nodes;

static class Json
{
    public static string Print(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static JsonNode? Ms(double value) => double.IsNaN(value) ? null : JsonValue.Create(Math.Round(value, 1));
}

/// <summary>One request as the client saw it. Status: the HTTP status, 0 for a timeout, -1 for a connection error.</summary>
