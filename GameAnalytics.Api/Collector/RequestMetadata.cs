using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Collector;

/// <summary>What the collector takes from the HTTP request itself, once per request.</summary>
/// <param name="HostUserId">The user as the original game API knew it: the Host header without its port, in lower case.</param>
/// <param name="AppId">The game whose write key the request carried, or null.</param>
internal sealed record RequestMetadata(
    DateTimeOffset ReceivedAt,
    string? Host,
    string? HostUserId,
    string? UserAgent,
    string? Accept,
    IReadOnlyDictionary<string, string> Headers,
    string? AppId = null)
{
    public static RequestMetadata From(HttpRequest request, CollectorOptions options, TimeProvider clock, string? appId = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in options.HeaderAllowlist)
        {
            if (request.Headers.TryGetValue(name, out var values) && values.Count > 0)
            {
                headers[name.ToLowerInvariant()] = values.ToString();
            }
        }

        var host = NullIfEmpty(request.Headers.Host.ToString());
        return new RequestMetadata(
            clock.GetUtcNow(),
            host,
            DeriveUserId(host),
            NullIfEmpty(request.Headers.UserAgent.ToString()),
            NullIfEmpty(request.Headers.Accept.ToString()),
            headers,
            appId);
    }

    internal static string? DeriveUserId(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var name = new HostString(host.Trim()).Host;
        return name.Length == 0 ? null : name.ToLowerInvariant();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
