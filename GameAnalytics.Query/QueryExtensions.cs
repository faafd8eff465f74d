using GameAnalytics.Events.Lake;
using GameAnalytics.Query;
using GameAnalytics.Query.Engine;
using GameAnalytics.Query.Insights;
using Microsoft.AspNetCore.HttpOverrides;
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
            .Validate(options => options.MaxConcurrentQueries > 0 && options.MaxQueuedQueries >= 0, "Query:MaxConcurrentQueries must be positive and Query:MaxQueuedQueries not negative.")
            .Validate(options => options.Threads > 0 && options.MaxSqlLength > 0, "Query:Threads and Query:MaxSqlLength must be positive.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new LakeTables(services.GetRequiredService<IOptions<QueryOptions>>().Value.LakeRoot));
        builder.Services.AddSingleton<LakeDatabase>();
        builder.Services.AddSingleton<QueryAdmission>();
        builder.Services.AddSingleton<QueryManager>();
        builder.Services.AddSingleton<InsightsService>();
        // The answers' URIs use the scheme and host the client used, behind a TLS-terminating ingress too. Any sender
        // may be trusted with these headers: they change only the URIs in the answer to the same request.
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        return builder;
    }
}
