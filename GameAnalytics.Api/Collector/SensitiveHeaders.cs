namespace GameAnalytics.Api.Collector;

/// <summary>Headers that carry credentials; the collector never stores them, whatever the allowlist says.</summary>
internal static class SensitiveHeaders
{
    private static readonly string[] Names = ["authorization", "proxy-authorization", "cookie", "set-cookie"];
    private static readonly string[] Fragments = ["api-key", "apikey", "api_key", "token", "secret", "password", "auth", "session"];

    public static bool IsSensitive(string name)
    {
        var lower = name.ToLowerInvariant();
        return Names.Contains(lower) || Fragments.Any(fragment => lower.Contains(fragment, StringComparison.Ordinal));
    }
}
