using Confluent.Kafka;
using GameAnalytics.Api.Kafka;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class EventPublisherExtensions
{
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
}
