using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>How many of the records a broker holds a consumer group has not committed yet, read as any client would.</summary>
internal sealed class GroupLag(string bootstrapServers, string groupId, IEnumerable<string> topics) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig
    {
        BootstrapServers = bootstrapServers,
        ClientId = "gameanalytics-dev-broker-drain",
    }).Build();

    private readonly HashSet<string> _topics = [.. topics];

    public async Task<long> UncommittedAsync()
    {
        var partitions = _admin.GetMetadata(RequestTimeout).Topics
            .Where(topic => _topics.Contains(topic.Topic))
            .SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))
            .ToList();
        var earliest = await OffsetsAsync(partitions, OffsetSpec.Earliest());
        var latest = await OffsetsAsync(partitions, OffsetSpec.Latest());
        var committed = (await _admin.ListConsumerGroupOffsetsAsync(
                [new ConsumerGroupTopicPartitions(groupId, partitions)],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout }))
            .Single().Partitions.ToDictionary(partition => partition.TopicPartition, partition => partition.Offset.Value);

        // A partition the group never committed is behind by everything it holds.
        return partitions.Sum(partition =>
            latest[partition] - Math.Max(earliest[partition], committed.GetValueOrDefault(partition, Offset.Unset.Value)));
    }

    private async Task<Dictionary<TopicPartition, long>> OffsetsAsync(List<TopicPartition> partitions, OffsetSpec spec) =>
        (await _admin.ListOffsetsAsync(
            partitions.Select(partition => new TopicPartitionOffsetSpec { TopicPartition = partition, OffsetSpec = spec }),
            new ListOffsetsOptions { RequestTimeout = RequestTimeout }))
        .ResultInfos.ToDictionary(info => info.TopicPartitionOffsetError.TopicPartition, info => info.TopicPartitionOffsetError.Offset.Value);

    public void Dispose() => _admin.Dispose();
}
