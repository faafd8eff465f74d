using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Collector;

/// <summary>
/// The games that may write, by the key each request carries: <c>Authorization: Bearer &lt;key&gt;</c>, or
/// <c>?write_key=&lt;key&gt;</c> for <c>sendBeacon</c>, which cannot set headers. Keys are compared in constant time,
/// by digest, and never kept anywhere else: only the game's name goes on, as the events' <c>app_id</c>.
/// </summary>
internal sealed class WriteKeys
{
    public const string QueryParameter = "write_key";

    private readonly (string Name, byte[] Digest)[] _keys;
    private readonly bool _allowAnonymous;

    public WriteKeys(IOptions<CollectorOptions> options)
    {
        _keys = options.Value.WriteKeys.Select(pair => (pair.Key, Digest(pair.Value))).ToArray();
        _allowAnonymous = options.Value.AllowAnonymous;
    }

    /// <summary>The game the request writes for (null: an anonymous request, where those are allowed), or why it may not write.</summary>
    public bool TryIdentify(HttpRequest request, out string? appId, [NotNullWhen(false)] out string? refusal)
    {
        appId = null;
        refusal = null;
        if (Presented(request) is not { } key)
        {
            if (_allowAnonymous)
            {
                return true;
            }

            refusal = "A write key is required: send Authorization: Bearer <key>, or ?write_key=<key> where headers cannot be set (sendBeacon).";
            return false;
        }

        // Every key is compared, so that the time taken says nothing about which one came close.
        var digest = Digest(key);
        foreach (var (name, known) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, known))
            {
                appId = name;
            }
        }

        refusal = appId is null ? "The write key is not valid." : null;
        return appId is not null;
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Query.TryGetValue(QueryParameter, out var values) && values.Count > 0 ? values[0] : null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
