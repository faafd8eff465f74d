using Confluent.Kafka;
using GameAnalytics.Events.Kafka;

namespace GameAnalytics.Streaming.Consuming;

internal static class KafkaConsumerConfig
{
    public static ConsumerConfig Create(IConfiguration configuration, StreamingOptions options)
    {
        var settings = KafkaConnection.ClientSettings(configuration, "stream processor");
        foreach (var (key, value) in options.Consumer)
        {
            settings[key] = value;
        }

        var config = new ConsumerConfig(settings)
        {
            GroupId = options.GroupId,
            ClientId = "gameanalytics-streaming",
            // Offsets are stored only once their batch is in the lake; the lake decides where a partition resumes.
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            // A position Kafka no longer has is data loss, to be reported, never silently skipped.
            AutoOffsetReset = AutoOffsetReset.Error,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        };
        // A restarted instance rejoins in seconds rather than the default 45.
        config.SessionTimeoutMs ??= 6000;
        // An empty fetch waits at most this long before new records are seen: part of freshness.
        config.FetchWaitMaxMs ??= 100;
        // librdkafka's prefetch queue is memory the batches already bound; 64 MiB by default, 16 MiB kept up the same.
        config.QueuedMaxMessagesKbytes ??= 16 * 1024;
        return config;
    }
}
