using GameAnalytics.Events.Lake;
using GameAnalytics.Query;
using GameAnalytics.Query.Engine;
using GameAnalytics.Query.Insights;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class QueryExtensions
{
    /// <summary>SQL over the lake (<c>Query:LakeRoot</c>, by default <c>lake</c> under <c>GameAnalytics:DataDir</c>).</summary>
    public static IHostApplicationBuilder AddLakeQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueryOptions>()
            .BindConfiguration(QueryOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.LakeRoot = LakeLocation.Resolve(options.LakeRoot, configuration, "Query:LakeRoot"))
            .Validate(options => options.PageRows > 0, "Query:PageRows must be positive.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new LakeTables(services.GetRequiredService<IOptions<QueryOptions>>().Value.LakeRoot));
        builder.Services.AddSingleton<QueryManager>();
        builder.Services.AddSingleton<InsightsService>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        return builder;
    }
}
