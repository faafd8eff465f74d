using Confluent.Kafka;
using GameAnalytics.Streaming.Consuming;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>Only a record that differs means a new log; one that cannot be read now is asked for again.</summary>
[Collection(KafkaCollection.Name)]
public sealed class RecordFingerprintTests(DevBrokerFixture kafka)
{
    private readonly TopicPartition _partition = new($"events-{Guid.NewGuid():N}", 0);

    [Fact]
    public async Task The_landed_record_matches_another_does_not_and_an_unreachable_broker_is_unknown()
    {
        var landed = StreamingHost.Utf8("""{"event_type":"slay_dragon"}""");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(_partition, new Message<string, byte[]> { Key = "player", Value = landed });
        }

        using var fingerprints = new RecordFingerprint(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "tests-fingerprint" });
        using var unreachable = new RecordFingerprint(new ConsumerConfig { BootstrapServers = $"127.0.0.1:{TestPorts.Free()}", GroupId = "tests-fingerprint" });

        Assert.True(fingerprints.Matches(_partition, 0, RecordFingerprint.Of(landed)));
        Assert.False(fingerprints.Matches(_partition, 0, RecordFingerprint.Of(StreamingHost.Utf8("another record"))));
        Assert.Null(unreachable.Matches(_partition, 0, RecordFingerprint.Of(landed)));
    }
}
