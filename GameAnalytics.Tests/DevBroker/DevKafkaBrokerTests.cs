using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using GameAnalytics.DevBroker.Broker;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.DevBroker;

[Collection(KafkaCollection.Name)]
public sealed class DevKafkaBrokerTests(DevBrokerFixture kafka)
{
    [Fact]
    public void Advertises_its_fixed_address_with_the_events_topic_and_its_partitions()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();

        var metadata = admin.GetMetadata("events", TimeSpan.FromSeconds(10));

        var broker = Assert.Single(metadata.Brokers);
        Assert.Equal($"{broker.Host}:{broker.Port}", kafka.BootstrapServers);
        Assert.Equal(DevBrokerFixture.EventsPartitions, metadata.Topics.Single().Partitions.Count);
    }

    [Fact]
    public async Task Stores_idempotent_acks_all_records_with_their_headers_byte_for_byte()
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            CompressionType = CompressionType.Lz4,
        }).Build();
        var key = $"key-{Guid.NewGuid():N}";
        byte[] header = [0, 1, 2, 255];

        var delivered = await producer.ProduceAsync("events", new Message<string, byte[]> { Key = key, Value = [42], Headers = [new Header("h", header)] });

        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        var record = Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, key, expected: 1));
        Assert.Equal([42], record.Message.Value);
        Assert.Equal(header, record.Message.Headers.GetLastBytes("h"));
    }

    [Fact]
    public void A_taken_port_stops_it_with_a_message_that_says_so()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = Assert.Throws<PortInUseException>(() => DevKafkaBroker.Start(new DevBrokerOptions { Port = port }));

        Assert.Equal(port, error.Port);
        Assert.Contains($"Port {port} is already in use", error.Message);
    }
}
