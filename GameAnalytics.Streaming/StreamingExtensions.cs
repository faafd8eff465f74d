using GameAnalytics.Events.Catalog;
using GameAnalytics.Events.Lake;
using GameAnalytics.Streaming;
using GameAnalytics.Streaming.Compaction;
using GameAnalytics.Streaming.Consuming;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Lake;
using GameAnalytics.Streaming.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class StreamingExtensions
{
    /// <summary>
    /// The stream processor: consumes <c>ConnectionStrings:kafka</c> in a consumer group and lands every event
    /// in the lake (<c>Lake:Root</c>, by default <c>lake</c> under <c>GameAnalytics:DataDir</c>).
    /// </summary>
    public static IHostApplicationBuilder AddStreaming(this IHostApplicationBuilder builder)
    {
        builder.AddEventCatalog();

        builder.Services.AddOptions<StreamingOptions>()
            .BindConfiguration(StreamingOptions.SectionName)
            .Validate(options => options.FlushEvents > 0, "Streaming:FlushEvents must be positive.")
            .Validate(options => options.FlushInterval > TimeSpan.Zero, "Streaming:FlushInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<LakeOptions>()
            .BindConfiguration(LakeOptions.SectionName)
            .PostConfigure<IConfiguration>((lake, configuration) => lake.Root = LakeLocation.Resolve(lake.Root, configuration, "Lake:Root"));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new TableRouter(
            services.GetRequiredService<EventCatalog>(),
            services.GetRequiredService<IOptions<StreamingOptions>>().Value.Tables));
        builder.Services.AddSingleton<EventRecordParser>();
        builder.Services.AddSingleton<ParquetTableWriter>();
        builder.Services.AddSingleton(services =>
        {
            var root = services.GetRequiredService<IOptions<LakeOptions>>().Value.Root;
            var topic = services.GetRequiredService<IOptions<StreamingOptions>>().Value.Topic;
            return new LakeCommitter(root, new CommitLog(root, topic), services.GetRequiredService<ParquetTableWriter>(), services.GetRequiredService<TimeProvider>());
        });

        builder.Services.AddOptions<CompactionOptions>().BindConfiguration(CompactionOptions.SectionName);
        builder.Services.AddSingleton(services => new LakeCompactor(
            services.GetRequiredService<IOptions<LakeOptions>>().Value.Root,
            services.GetRequiredService<IOptions<CompactionOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<LakeCompactor>>()));
        builder.Services.AddHostedService<CompactionService>();

        builder.Services.AddSingleton<StreamingTelemetry>();
        builder.Services.AddSingleton<StreamingHealth>();
        builder.Services.AddHealthChecks().AddCheck<StreamingHealth>("streaming");
        builder.Services.AddHostedService<LakeConsumerService>();

        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(StreamingTelemetry.Name));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(StreamingTelemetry.Name));
        return builder;
    }
}
