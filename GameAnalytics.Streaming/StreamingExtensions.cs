using GameAnalytics.Events.Catalog;
using GameAnalytics.Events.Lake;
using GameAnalytics.Presto;
using GameAnalytics.Streaming;
using GameAnalytics.Streaming.Compaction;
using GameAnalytics.Streaming.Consuming;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Lake;
using GameAnalytics.Streaming.Lake.Hive;
using GameAnalytics.Streaming.Lake.Storage;
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
            .PostConfigure<IConfiguration>((lake, configuration) =>
            {
                if (!lake.Hdfs.Enabled)
                {
                    lake.Root = LakeLocation.Resolve(lake.Root, configuration, "Lake:Root");
                }
            })
            .Validate(lake => !lake.Hive.Enabled || lake.Hdfs.Enabled, "Lake:Hive needs the lake in HDFS (Lake:Hdfs:WebHdfsEndpoint): Presto cannot read this machine's folders.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new TableRouter(
            services.GetRequiredService<EventCatalog>(),
            services.GetRequiredService<IOptions<StreamingOptions>>().Value.Tables));
        builder.Services.AddSingleton<EventRecordParser>();
        builder.Services.AddSingleton<ParquetTableWriter>();
        builder.Services.AddSingleton(services =>
        {
            var storage = services.GetRequiredService<ILakeStorage>();
            var topic = services.GetRequiredService<IOptions<StreamingOptions>>().Value.Topic;
            return new LakeCommitter(storage, new CommitLog(storage, topic), services.GetRequiredService<ParquetTableWriter>(), services.GetRequiredService<TimeProvider>());
        });

        var lake = builder.Configuration.GetSection(LakeOptions.SectionName).Get<LakeOptions>() ?? new();
        if (lake.Hdfs.Enabled)
        {
            builder.AddHdfsLake(lake);
        }
        else
        {
            builder.Services.AddSingleton<ILakeStorage>(services => new LocalLakeStorage(services.GetRequiredService<IOptions<LakeOptions>>().Value.Root));
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

    /// <summary>The lake in HDFS; with <c>Lake:Hive</c>, its tables registered in the metastore through Presto.</summary>
    private static void AddHdfsLake(this IHostApplicationBuilder builder, LakeOptions lake)
    {
        // No retrying handler: a retried rename that had succeeded would read as lost to another writer.
        builder.Services.AddSingleton(services => new WebHdfsLakeStorage(
            new HttpClient { Timeout = TimeSpan.FromSeconds(30) },
            services.GetRequiredService<IOptions<LakeOptions>>().Value.Hdfs));
        builder.Services.AddSingleton<ILakeStorage>(services => services.GetRequiredService<WebHdfsLakeStorage>());

        // Compacting files in HDFS is the SQL engines' work (Spark or Presto), not this process's.
        if (lake.Hive.Enabled)
        {
            builder.Services.AddHostedService(services =>
            {
                var hive = services.GetRequiredService<IOptions<LakeOptions>>().Value.Hive;
                var storage = services.GetRequiredService<WebHdfsLakeStorage>();
                var presto = new PrestoClient(new HttpClient(), new PrestoClientOptions
                {
                    Server = hive.PrestoEndpoint!,
                    User = "gameanalytics-streaming",
                    Catalog = hive.Catalog,
                    Schema = hive.Schema,
                    Source = "gameanalytics-streaming",
                });
                return new HiveTableRegistrar(services.GetRequiredService<LakeCommitter>(), presto, hive, storage.EngineLocation, services.GetRequiredService<ILogger<HiveTableRegistrar>>());
            });
        }
    }

    /// <summary>Merges a local lake's small files, on a schedule (section <c>Compaction</c>).</summary>
    private static void AddCompaction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CompactionOptions>().BindConfiguration(CompactionOptions.SectionName);
        builder.Services.AddSingleton(services => new LakeCompactor(
            services.GetRequiredService<IOptions<LakeOptions>>().Value.Root,
            services.GetRequiredService<IOptions<CompactionOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<LakeCompactor>>()));
        builder.Services.AddHostedService<CompactionService>();
    }
}
