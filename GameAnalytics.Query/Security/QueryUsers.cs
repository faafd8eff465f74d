using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GameAnalytics.Presto;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Security;

/// <summary>
/// The users of <c>Query:Users</c> and their password hashes. A hash is slow on purpose, so, as Presto's file
/// authenticator does, a password that checked out is remembered (by a digest, never in the clear) for a while.
/// </summary>
internal sealed class QueryUsers(IOptions<QueryOptions> options, TimeProvider clock)
{
    private const int MaxRemembered = 1000;
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    /// <summary>Whether passwords are on: without users, the user header alone is enough.</summary>
    public bool Required => options.Value.Users.Count > 0;

    public bool Verify(string user, string password)
    {
        if (!options.Value.Users.TryGetValue(user, out var hash))
        {
            return false;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user}\n{password}\n{hash}")));
        var now = clock.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now)
        {
            return true;
        }

        if (!PasswordHash.Verify(password, hash))
        {
            return false;
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[key] = now + RememberFor;
        return true;
    }
}
