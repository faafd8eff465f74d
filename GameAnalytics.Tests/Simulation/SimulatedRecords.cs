using Confluent.Kafka;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Events.Kafka;

namespace GameAnalytics.Tests.Simulation;

/// <summary>Reads back from the events topic the records of one simulation run, told apart by its users' domain.</summary>
internal static class SimulatedRecords
{
    public static List<EventEnvelope> Read(string bootstrapServers, string domain, int expected, TimeSpan? timeout = null)
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

        var suffix = "." + domain;
        var found = new List<EventEnvelope>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        DateTime? settleUntil = null;
        while (DateTime.UtcNow < deadline && (settleUntil is null || DateTime.UtcNow < settleUntil))
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record?.Message?.Key?.EndsWith(suffix, StringComparison.Ordinal) == true)
            {
                found.Add(EventEnvelope.FromUtf8Json(record.Message.Value)!);
            }

            // Read a little past the expected count, so that duplicates would show.
            if (found.Count >= expected && settleUntil is null)
            {
                settleUntil = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
            }
        }

        consumer.Close();
        return found;
    }
}
