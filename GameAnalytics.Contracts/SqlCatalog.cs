namespace GameAnalytics.Contracts;

/// <summary>Where the lake's tables are in SQL, in Presto's names and in the query service's: <c>hive.default</c>.</summary>
public static class SqlCatalog
{
    public const string Catalog = "hive";
    public const string Schema = "default";
}
