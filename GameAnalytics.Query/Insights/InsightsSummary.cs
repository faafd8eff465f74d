namespace GameAnalytics.Query.Insights;

/// <summary>The answers the insights page shows, as its JSON endpoint serves them.</summary>
public sealed record InsightsSummary(
    GuildShare GuildShare,
    PerUser PerUser,
    IReadOnlyList<EventsPerMinute> EventsPerMinute,
    IReadOnlyList<TopUser> TopUsers,
    Freshness Freshness);

public sealed record GuildShare(long Joined, long Users, double Percent);

/// <summary>Averages per user who did the thing, as the original's queries computed them.</summary>
public sealed record PerUser(double Catches, double Slays);

public sealed record EventsPerMinute(DateTime Minute, string EventType, long Events);

public sealed record TopUser(string User, long Events);

/// <param name="LatestReceivedAt">The newest event in the lake, by the collector's clock.</param>
/// <param name="LatestLandedAt">When the newest file of the lake was committed.</param>
/// <param name="AgeSeconds">How old the newest event is now.</param>
public sealed record Freshness(DateTime? LatestReceivedAt, DateTime? LatestLandedAt, double? AgeSeconds);
