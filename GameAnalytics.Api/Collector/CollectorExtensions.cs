using System.Text.Json;
using System.Text.Json.Serialization;
using GameAnalytics.Api.Apis;
using GameAnalytics.Api.Collector;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class CollectorExtensions
{
    /// <summary>The collector's validation, limits and error answers, and its OpenAPI document.</summary>
    public static IHostApplicationBuilder AddEventCollector(this IHostApplicationBuilder builder)
    {
        builder.AddEventCatalog();

        builder.Services.AddOptions<CollectorOptions>()
            .BindConfiguration(CollectorOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventFactory>();

        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<CollectorOptions>>((cors, collector) =>
            cors.AddPolicy(BrowserGamesPolicy, policy => policy.SetIsOriginAllowed(collector.Value.AllowsOrigin)
                .WithMethods(HttpMethods.Post)
                .WithHeaders("Authorization", "Content-Type")
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // The same snake_case as the events themselves.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The CORS policy of <c>/v1/events</c>: the origins of <c>Collector:AllowedOrigins</c>.</summary>
    public const string BrowserGamesPolicy = "browser-games";
}
