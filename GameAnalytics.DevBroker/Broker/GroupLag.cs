using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>Where a consumer group stands in each partition a broker holds, read as any client would.</summary>
internal sealed class GroupLag(string bootstrapServers, string groupId, IEnumerable<string> topics) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig
    {
        BootstrapServers = bootstrapServers,
        ClientId = "gameanalytics-dev-broker-drain",
    }).Build();

    private readonly HashSet<string> _topics = [.. topics];

    /// <summary>How many of the records the broker holds the group has not committed yet.</summary>
    public async Task<long> UncommittedAsync() => (await PartitionsAsync()).Sum(partition => partition.Uncommitted);

    public async Task<IReadOnlyList<PartitionLag>> PartitionsAsync()
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
            .Single().Partitions
            .Where(partition => partition.Offset.Value >= 0)
            .ToDictionary(partition => partition.TopicPartition, partition => partition.Offset.Value);

        return [.. partitions.Select(partition => new PartitionLag(
            partition, earliest[partition], latest[partition], committed.TryGetValue(partition, out var offset) ? offset : null))];
    }

    private async Task<Dictionary<TopicPartition, long>> OffsetsAsync(List<TopicPartition> partitions, OffsetSpec spec) =>
        (await _admin.ListOffsetsAsync(
            partitions.Select(partition => new TopicPartitionOffsetSpec { TopicPartition = partition, OffsetSpec = spec }),
            new ListOffsetsOptions { RequestTimeout = RequestTimeout }))
        .ResultInfos.ToDictionary(info => info.TopicPartitionOffsetError.TopicPartition, info => info.TopicPartitionOffsetError.Offset.Value);

    public void Dispose() => _admin.Dispose();
}

/// <param name="Committed">The group's committed offset; null when it never committed one.</param>
internal sealed record PartitionLag(TopicPartition Partition, long Earliest, long Latest, long? Committed)
{
    // A partition the group never committed is behind by everything it holds.
    public long Uncommitted => Latest - Math.Max(Earliest, Committed ?? Earliest);
}
