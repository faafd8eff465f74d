using Confluent.Kafka;
using GameAnalytics.Events.Kafka;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Kafka;

internal static partial class KafkaProducerFactory
{
    public static ProducerConfig CreateConfig(IConfiguration configuration, EventPublisherOptions options)
    {
        var settings = KafkaConnection.ClientSettings(configuration, "collector");
        foreach (var (key, value) in options.Producer)
        {
            settings[key] = value;
        }

        var config = new ProducerConfig(settings)
        {
            ClientId = "gameanalytics-api",
            // Durability is not configurable: a 2xx means every in-sync replica has the event, once.
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = (int)options.DeliveryTimeout.TotalMilliseconds,
            // Delivery reports need only the outcome; copying keys, values and headers back costs CPU per event.
            DeliveryReportFields = "status",
        };
        config.CompressionType ??= CompressionType.Lz4;
        // Each request waits for its acknowledgement, so latency is linger plus a round trip.
        config.LingerMs ??= 1;
        // While Kafka is slow, a full queue answers 503 at once instead of holding up to librdkafka's default 1 GiB.
        config.QueueBufferingMaxKbytes ??= 32 * 1024;
        config.QueueBufferingMaxMessages ??= 100_000;
        return config;
    }

    public static IProducer<string, byte[]> Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<EventPublisherOptions>>().Value;
        var config = CreateConfig(services.GetRequiredService<IConfiguration>(), options);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("GameAnalytics.Api.Kafka.Producer");

        return new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, message) => LogClient(logger, ToLogLevel(message.Level), message.Name, message.Message))
            .SetErrorHandler((_, error) => LogClientError(logger, error.Code, error.Reason, error.IsFatal))
            .Build();
    }

    private static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [LoggerMessage(Message = "librdkafka {Client}: {Message}")]
    private static partial void LogClient(ILogger logger, LogLevel level, string client, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer error {Code}: {Reason} (fatal: {IsFatal})")]
    private static partial void LogClientError(ILogger logger, ErrorCode code, string reason, bool isFatal);
}
