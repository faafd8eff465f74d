using System.Globalization;
using System.Text.RegularExpressions;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>A session property a client can set (<c>SET SESSION</c>, or the session header), as <c>SHOW SESSION</c> lists it.</summary>
internal sealed record SessionProperty(string Name, string Type, string Default, string Description);

/// <summary>The session properties this service supports, and what they do to a query.</summary>
internal static partial class SessionProperties
{
    public const string QueryMaxRunTime = "query_max_run_time";

    public static IReadOnlyList<SessionProperty> All(QueryOptions options) =>
    [
        new(QueryMaxRunTime, "varchar", FormatDuration(options.Timeout),
            "Maximum time a query may take, paging included; the service's own limit (Query:Timeout) is the most"),
    ];

    /// <summary>Refuses a property this service does not have, or a value it cannot take, as Presto does.</summary>
    public static void Validate(string name, string value)
    {
        if (!name.Equals(QueryMaxRunTime, StringComparison.OrdinalIgnoreCase))
        {
            throw new QueryException($"Session property '{name}' does not exist", PrestoError.InvalidSessionProperty);
        }

        if (ParseDuration(value) is null)
        {
            throw new QueryException($"{QueryMaxRunTime} is invalid: '{value}' is not a duration such as 30s, 5m or 1.5h", PrestoError.InvalidSessionProperty);
        }
    }

    /// <summary>A query's time limit: the service's, or the client's <c>query_max_run_time</c> when that is shorter.</summary>
    public static TimeSpan Timeout(ClientSession session, QueryOptions options) =>
        session.Properties.TryGetValue(QueryMaxRunTime, out var value) && ParseDuration(value) is { } requested && requested < options.Timeout
            ? requested
            : options.Timeout;

    /// <summary>An airlift duration, as Presto writes them: a number and a unit from ns to d.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var match = Duration().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var milliseconds = value * match.Groups["unit"].Value switch
        {
            "ns" => 1e-6,
            "us" => 1e-3,
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => 86_400_000,
        };
        return milliseconds is > 0 and < 1e12 ? TimeSpan.FromMilliseconds(milliseconds) : null;
    }

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalMinutes is var minutes && minutes == Math.Floor(minutes) && minutes >= 1 ? $"{minutes:0}m"
        : duration.TotalSeconds is var seconds && seconds == Math.Floor(seconds) ? $"{seconds:0}s"
        : $"{duration.TotalMilliseconds:0}ms";

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)\s*(?<unit>ns|us|ms|s|m|h|d)$")]
    private static partial Regex Duration();
}
