using System.Text.Json;
using System.Text.Json.Serialization;
using GameAnalytics.Api.Apis;
using GameAnalytics.Api.Collector;
using GameAnalytics.Api.Kafka;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class ApiExtensions
{
    /// <summary>The collector's validation, limits and error answers, and its OpenAPI document.</summary>
    public static IHostApplicationBuilder AddEventCollector(this IHostApplicationBuilder builder)
    {
        builder.AddEventCatalog();

        builder.Services.AddOptions<CollectorOptions>()
            .BindConfiguration(CollectorOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // One value of name=key pairs, as a secret parameter carries them.
                foreach (var pair in (configuration[$"{CollectorOptions.SectionName}:{nameof(CollectorOptions.WriteKeys)}"] ?? "")
                             .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry => entry.Split('=', 2)).Where(parts => parts.Length == 2))
                {
                    options.WriteKeys[pair[0]] = pair[1];
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventFactory>();
        builder.Services.AddSingleton<WriteKeys>();
        builder.Services.AddSingleton<EventRateLimiter>();

        // Past the concurrency limit a request is answered at once rather than queued: its client retries later.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.OnRejected = (rejected, _) =>
            {
                var options = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<CollectorOptions>>().Value;
                return new ValueTask(Problems.Unavailable(
                    rejected.HttpContext,
                    options.RetryAfter,
                    $"The collector is handling {options.MaxConcurrentRequests} requests at once, its limit. Nothing was stored: retry after Retry-After.").ExecuteAsync(rejected.HttpContext));
            };
        });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<CollectorOptions>>((limiter, collector) =>
            limiter.AddConcurrencyLimiter(IngestConcurrencyPolicy, concurrency =>
            {
                concurrency.PermitLimit = collector.Value.MaxConcurrentRequests;
                concurrency.QueueLimit = 0;
            }));

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

    /// <summary>
    /// Registers one shared idempotent Kafka producer (bootstrap servers from <c>ConnectionStrings:kafka</c>),
    /// the publisher that awaits acknowledgements, its health check, traces and metrics.
    /// </summary>
    public static IHostApplicationBuilder AddEventPublisher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventPublisherOptions>()
            .BindConfiguration(EventPublisherOptions.SectionName)
            .Validate(options => options.DeliveryTimeout > TimeSpan.Zero, "Kafka:DeliveryTimeout must be positive.")
            .ValidateOnStart();

        builder.Services.AddSingleton(KafkaProducerFactory.Create);
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddHostedService<ProducerFlushService>();
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka");

        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(EventPublisher.ActivitySourceName));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(EventPublisher.MeterName));
        return builder;
    }

    /// <summary>The CORS policy of <c>/v1/events</c>: the origins of <c>Collector:AllowedOrigins</c>.</summary>
    public const string BrowserGamesPolicy = "browser-games";

    /// <summary>The limit on ingest requests in flight: <c>Collector:MaxConcurrentRequests</c>.</summary>
    public const string IngestConcurrencyPolicy = "ingest-concurrency";
}
