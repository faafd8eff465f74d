namespace GameAnalytics.Query;

public sealed class QueryOptions
{
    public const string SectionName = "Query";

    /// <summary>The lake's root folder. By default <c>lake</c> under <c>GameAnalytics:DataDir</c>.</summary>
    public string LakeRoot { get; set; } = "";

    /// <summary>A query still running after this is cancelled and fails with EXCEEDED_TIME_LIMIT.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per page of results: a client follows nextUri for the rest.</summary>
    public int PageRows { get; set; } = 1000;

    /// <summary>A finished or abandoned query is forgotten after this long without a client request.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(5);
}
