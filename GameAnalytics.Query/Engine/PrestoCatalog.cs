using GameAnalytics.Contracts;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// The names a client sees, as a Presto coordinator with a Hive catalog shows them: the lake's tables in
/// <c>hive.default</c>, their descriptions in <c>hive.information_schema</c>, and the JDBC driver's <c>system.jdbc</c>.
/// </summary>
internal static class PrestoCatalog
{
    public const string Hive = SqlCatalog.Catalog;
    public const string Default = SqlCatalog.Schema;
    public const string InformationSchema = "information_schema";
    public const string System = "system";
    public const string Jdbc = "jdbc";

    /// <summary>The lake's Hive-style partition column, last in every table.</summary>
    public const string PartitionColumn = LakeColumns.Partition;

    public static IReadOnlyList<string> Catalogs { get; } = [Hive, System];

    public static IReadOnlyList<string> Schemas(string catalog) => catalog switch
    {
        Hive => [Default, InformationSchema],
        System => [Jdbc],
        _ => [],
    };

    public static bool IsLakeSchema(string catalog, string schema) => catalog == Hive && schema == Default;
}
