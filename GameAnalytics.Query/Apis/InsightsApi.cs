using GameAnalytics.Query.Insights;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GameAnalytics.Query.Apis;

/// <summary>The insights page at <c>/insights</c>, and the same answers as JSON.</summary>
public static class InsightsApi
{
    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/insights", () => TypedResults.Redirect("/insights/index.html")).ExcludeFromDescription();
        var api = app.MapGroup("/insights").WithTags("Insights").RequireAuthorization(QueryExtensions.ReaderPolicy);
        api.MapGet("/api/summary", Summary).WithSummary("Guild share, catches against slays, events per minute, top users, freshness");
        return app;
    }

    internal static async Task<Ok<InsightsSummary>> Summary(InsightsService insights, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Task.Run(insights.Summarize, cancellationToken));
}
