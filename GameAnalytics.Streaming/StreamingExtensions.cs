using GameAnalytics.Events.Catalog;
using GameAnalytics.Lake;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Streaming;
using GameAnalytics.Streaming.Compaction;
using GameAnalytics.Streaming.Consuming;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Hive;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class StreamingExtensions
{
    /// <summary>
    /// The stream processor: consumes <c>ConnectionStrings:kafka</c> in a consumer group and lands every event
    /// in the lake (<c>Lake:Root</c>, by default <c>lake</c> under <c>GameAnalytics:DataDir</c>; or HDFS).
    /// </summary>
    public static IHostApplicationBuilder AddStreaming(this IHostApplicationBuilder builder)
    {
        builder.AddEventCatalog();
        builder.AddLake();

        builder.Services.AddOptions<StreamingOptions>()
            .BindConfiguration(StreamingOptions.SectionName)
            .Validate(options => options.FlushEvents > 0, "Streaming:FlushEvents must be positive.")
            .Validate(options => options.FlushBytes > 0, "Streaming:FlushBytes must be positive.")
            .Validate(options => options.FlushInterval > TimeSpan.Zero, "Streaming:FlushInterval must be positive.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new TableRouter(
            services.GetRequiredService<EventCatalog>(),
            services.GetRequiredService<IOptions<StreamingOptions>>().Value.Tables));
        builder.Services.AddSingleton<EventRecordParser>();
        builder.Services.AddSingleton<EventRecordReader>();
        builder.Services.AddSingleton<ParquetTableWriter>();
        builder.Services.AddSingleton(services => new CommitLog(
            services.GetRequiredService<ILakeStorage>(),
            services.GetRequiredService<IOptions<StreamingOptions>>().Value.Topic));
        builder.Services.AddSingleton<LakeCommitter>();

        var lake = builder.Configuration.GetSection(LakeOptions.SectionName).Get<LakeOptions>() ?? new();
        builder.AddHiveRegistration(lake);
        if (!lake.Hdfs.Enabled)
        {
            // Compacting files in HDFS is the SQL engines' work (Spark or Presto), not this process's.
            builder.AddCompaction();
        }

        builder.Services.AddSingleton<StreamingTelemetry>();
        builder.Services.AddSingleton<StreamingHealth>();
        builder.Services.AddHealthChecks().AddCheck<StreamingHealth>("streaming");
        builder.Services.AddHostedService<LakeConsumerService>();

        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(StreamingTelemetry.Name));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(StreamingTelemetry.Name));
        return builder;
    }

    /// <summary>With <c>Lake:Hive</c>, the lake's tables registered in the metastore through Presto.</summary>
    private static void AddHiveRegistration(this IHostApplicationBuilder builder, LakeOptions lake)
    {
        builder.Services.AddOptions<HiveOptions>()
            .BindConfiguration(HiveOptions.SectionName)
            .Validate<IOptions<LakeOptions>>((hive, lake) => !hive.Enabled || lake.Value.Hdfs.Enabled, "Lake:Hive needs the lake in HDFS (Lake:Hdfs:WebHdfsEndpoint): Presto cannot read this machine's folders.")
            .ValidateOnStart();
        if (lake.Hdfs.Enabled && builder.Configuration.GetSection(HiveOptions.SectionName).Get<HiveOptions>() is { Enabled: true })
        {
            builder.Services.AddHostedService<HiveTableRegistrar>();
        }
    }

    /// <summary>Merges a local lake's small files, on a schedule (section <c>Compaction</c>).</summary>
    private static void AddCompaction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CompactionOptions>()
            .BindConfiguration(CompactionOptions.SectionName)
            .Validate(options => options.Interval > TimeSpan.Zero, "Compaction:Interval must be positive.")
            .Validate(options => options.MinFiles >= 2, "Compaction:MinFiles must be at least 2.")
            .Validate(options => options.TargetFileBytes > 0, "Compaction:TargetFileBytes must be positive.")
            .Validate(options => options.RetainReplacedFiles >= TimeSpan.Zero, "Compaction:RetainReplacedFiles must not be negative.")
            .Validate(options => options.MaxLandingLag >= 0, "Compaction:MaxLandingLag must not be negative (0: never wait for landing).")
            .Validate(options => !string.IsNullOrWhiteSpace(options.MemoryLimit), "Compaction:MemoryLimit must be set, e.g. 128MB.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LakeCompactor>();
        builder.Services.AddHostedService<CompactionService>();
    }
}
