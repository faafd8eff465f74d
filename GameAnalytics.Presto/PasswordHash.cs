using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GameAnalytics.Presto;

/// <summary>
/// The password hashes that the query service checks (<c>Query:Users</c>) and <c>gamectl hash-password</c> writes:
/// PBKDF2 with HMAC-SHA256, a random 16-byte salt and 600,000 iterations (OWASP's figure for this function),
/// written as <c>pbkdf2-sha256$iterations$salt$hash</c> with salt and hash in base64.
/// </summary>
public static class PasswordHash
{
    public const int DefaultIterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether the text is a hash in this format, so that a configuration error shows at start rather than at the first login.</summary>
    public static bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    public static bool Verify(string password, string hash)
    {
        if (!TryParse(hash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string text, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = text.Trim().Split('$');
        try
        {
            if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
            {
                return false;
            }

            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
            return salt.Length > 0 && hash.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
