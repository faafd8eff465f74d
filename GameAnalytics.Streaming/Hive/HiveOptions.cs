using GameAnalytics.Contracts;

namespace GameAnalytics.Streaming.Hive;

/// <summary>
/// Registers the lake's tables in the Hive metastore through Presto (section <c>Lake:Hive</c>), so that Presto and
/// Spark see each table and each new <c>dt</c> partition. Off when no Presto endpoint is set: DuckDB reads the folders directly.
/// </summary>
public sealed class HiveOptions
{
    public const string SectionName = "Lake:Hive";

    /// <summary>The Presto coordinator, for example <c>http://localhost:8080</c>.</summary>
    public Uri? PrestoEndpoint { get; set; }

    public string Catalog { get; set; } = SqlCatalog.Catalog;

    public string Schema { get; set; } = SqlCatalog.Schema;

    /// <summary>How long to wait before trying a failed registration again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => PrestoEndpoint is not null;
}
