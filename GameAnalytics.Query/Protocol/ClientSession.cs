using System.Net;

namespace GameAnalytics.Query.Protocol;

/// <summary>Which header family a client speaks: Presto's <c>X-Presto-*</c> or Trino's <c>X-Trino-*</c>. Answers use the same.</summary>
public enum HeaderFamily
{
    Presto,
    Trino,
}

/// <summary>
/// What a client's request headers say about its session: the user, the default catalog and schema, and the
/// session properties (<c>X-Presto-Session: name=value,...</c>, values URL-encoded).
/// </summary>
public sealed record ClientSession(SqlDialect Dialect, string User, string? Catalog, string? Schema, IReadOnlyDictionary<string, string> Properties)
{
    public string Header(string name) => $"X-{Dialect.Family}-{name}";

    /// <summary>The session the headers describe; without a user header, the user whose password the request carried.</summary>
    public static ClientSession? FromHeaders(IHeaderDictionary headers, string? authenticatedUser = null)
    {
        var family = headers.ContainsKey("X-Trino-User") ? HeaderFamily.Trino : HeaderFamily.Presto;
        string? Read(string name) => headers[$"X-{family}-{name}"] is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;

        if ((Read("User") ?? authenticatedUser) is not { } user)
        {
            return null;
        }

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers[$"X-{family}-Session"])
        {
            foreach (var pair in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=');
                if (equals > 0)
                {
                    properties[pair[..equals].Trim()] = WebUtility.UrlDecode(pair[(equals + 1)..].Trim());
                }
            }
        }

        // Trino sends timestamp precision only to clients that say they understand it, as its own JDBC driver does.
        var parametric = (Read("Client-Capabilities") ?? "").Split(',', StringSplitOptions.TrimEntries).Contains("PARAMETRIC_DATETIME", StringComparer.OrdinalIgnoreCase);
        // Catalog and schema names are identifiers: unquoted, Presto reads them in lower case.
        return new ClientSession(new SqlDialect(family, parametric), user, Read("Catalog")?.ToLowerInvariant(), Read("Schema")?.ToLowerInvariant(), properties);
    }
}
