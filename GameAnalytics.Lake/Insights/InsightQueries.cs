using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Lake.Insights;

/// <summary>
/// The original analysis' questions as SQL over the lake's tables, in the dialect Presto and DuckDB share: the query
/// service's insights page and <c>gamectl insights</c> both ask these. Users are counted by <c>user_id</c>, which batch
/// traffic from a game server carries (its host is the server's). A question whose table does not exist yet is null.
/// </summary>
public sealed class InsightQueries(IReadOnlySet<string> presentTables)
{
    private static readonly string[] EventTables =
        [TableNames.SwordPurchases, TableNames.JoinGuilds, TableNames.SlayDragons, TableNames.CatchButterflies, TableNames.DefaultHits];

    /// <summary>The original's event tables that exist.</summary>
    public IReadOnlyList<string> Tables { get; } = [.. EventTables.Where(presentTables.Contains)];

    /// <summary>Every event of those tables, with the columns the questions read; null when there is none.</summary>
    public string? AllEvents => Tables.Count == 0
        ? null
        : string.Join(" union all ", Tables.Select(table => $"select user_id, host, event_type, received_at from {table}"));

    /// <summary>Players who did anything.</summary>
    public string? Users => AllEvents is { } events ? $"select count(distinct user_id) from ({events})" : null;

    /// <summary>Players who joined a guild.</summary>
    public string? GuildJoiners => Of(TableNames.JoinGuilds, $"select count(distinct user_id) from {TableNames.JoinGuilds}");

    /// <summary>Butterflies caught per player who caught any.</summary>
    public string? CatchesPerCatcher => Of(TableNames.CatchButterflies, PerUser(TableNames.CatchButterflies));

    /// <summary>Dragons slain per player who slew any.</summary>
    public string? SlaysPerSlayer => Of(TableNames.SlayDragons, PerUser(TableNames.SlayDragons));

    private string? Of(string table, string sql) => presentTables.Contains(table) ? sql : null;

    private static string PerUser(string table) => $"select coalesce(count(*) * 1.0 / nullif(count(distinct user_id), 0), 0) from {table}";
}
