using Confluent.Kafka;
using GameAnalytics.Events.Kafka;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>Reads back what landed in the events topic, with a real Confluent.Kafka consumer.</summary>
public static class EventsTopic
{
    /// <summary>Reads the whole topic from the start until <paramref name="expected"/> records with the key are found.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadByKey(string bootstrapServers, string key, int expected, TimeSpan? timeout = null, TimeSpan? settle = null) =>
        Read(bootstrapServers, candidate => candidate == key, expected, timeout, settle);

    /// <summary>Reads the whole topic from the start until <paramref name="expected"/> records whose key matches are found.</summary>
    public static List<ConsumeResult<string, byte[]>> Read(string bootstrapServers, Func<string?, bool> keyMatches, int expected, TimeSpan? timeout = null, TimeSpan? settle = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"tests-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();

        using (var admin = new DependentAdminClientBuilder(consumer.Handle).Build())
        {
            var metadata = admin.GetMetadata(KafkaTopics.Events, TimeSpan.FromSeconds(10));
            consumer.Assign(metadata.Topics.Single().Partitions
                .Select(p => new TopicPartitionOffset(KafkaTopics.Events, new Partition(p.PartitionId), Offset.Beginning)));
        }

        var found = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        DateTime? settleUntil = null;
        while (DateTime.UtcNow < deadline && (settleUntil is null || DateTime.UtcNow < settleUntil))
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record?.Message is not null && keyMatches(record.Message.Key))
            {
                found.Add(record);
            }

            // Once the expected count is reached, keep reading a little to catch any surplus.
            if (found.Count >= expected && settleUntil is null)
            {
                settleUntil = DateTime.UtcNow + (settle ?? TimeSpan.FromMilliseconds(500));
            }
        }

        consumer.Close();
        return found;
    }
}
