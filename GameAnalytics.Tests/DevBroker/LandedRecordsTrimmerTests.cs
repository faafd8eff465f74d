using Confluent.Kafka;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.DevBroker;

/// <summary>The dev broker lets go of what the stream processor has landed, and of nothing else.</summary>
public sealed class LandedRecordsTrimmerTests : IDisposable
{
    private const string Topic = "events";
    private const int Partitions = 4;

    private readonly TempDirectory _lake = new();
    private readonly string _group = $"tests-trim-{Guid.NewGuid():N}";

    [Fact]
    public async Task Landed_records_are_deleted_but_each_partitions_last_and_the_unlanded_stay()
    {
        using var broker = DevBrokerHost.Build(_group, Partitions, new Dictionary<string, string?>
        {
            ["DevBroker:DrainTimeout"] = "00:00:00",
            ["DevBroker:TrimInterval"] = "00:00:00.200",
        });
        await broker.StartAsync();
        var bootstrap = broker.Broker().BootstrapServers;
        var streaming = StreamingHost.Build(bootstrap, Topic, _lake.Path, groupId: _group);
        await streaming.StartAsync();
        var landed = await StreamingHost.ProduceAsync(bootstrap, Topic, 2000, "slay_dragon");

        using var offsets = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = _group }).Build();
        var byPartition = Enumerable.Range(0, Partitions).Select(partition => new TopicPartition(Topic, partition)).ToList();
        await StreamingHost.WaitUntilAsync(
            () => byPartition.All(partition => offsets.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)) is { } marks && marks.High - marks.Low == Math.Min(1, marks.High.Value)),
            "each partition holds no more than its last landed record", TimeSpan.FromSeconds(30));

        // Records not landed yet stay, however long the processor is away.
        await streaming.StopAsync();
        streaming.Dispose();
        var lows = byPartition.Select(partition => offsets.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value).ToList();
        var unlanded = await StreamingHost.ProduceAsync(bootstrap, Topic, 500, "slay_dragon");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(lows, byPartition.Select(partition => offsets.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value));

        // A restarted processor finds the record it landed last, resumes after it, and lands the rest once.
        using (var restarted = StreamingHost.Build(bootstrap, Topic, _lake.Path, groupId: _group))
        {
            await restarted.StartAsync();
            using var lake = new LakeQuery(_lake.Path);
            var expected = landed.Concat(unlanded).Select(id => id.ToString()).Order().ToList();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("slay_dragons").Count >= expected.Count, "every event is landed");
            Assert.Equal(expected, lake.EventIds("slay_dragons").Order());
            await restarted.StopAsync();
        }

        await broker.StopAsync();
    }

    public void Dispose() => _lake.Dispose();
}
