using System.Diagnostics;
using Confluent.Kafka;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.Hosting;

namespace GameAnalytics.Tests.DevBroker;

/// <summary>The dev broker holds the only copy of what is not landed yet: a stop waits for the stream processor.</summary>
public sealed class DevBrokerStopTests : IDisposable
{
    private readonly TempDirectory _lake = new();
    private readonly string _group = $"tests-drain-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_stop_refuses_new_records_and_returns_once_the_stream_processor_has_landed_the_rest()
    {
        using var broker = StartBroker(TimeSpan.FromSeconds(30));
        await broker.StartAsync();
        var bootstrap = broker.Broker().BootstrapServers;
        using var streaming = StreamingHost.Build(bootstrap, "events", _lake.Path, groupId: _group);
        await streaming.StartAsync();
        var held = await StreamingHost.ProduceAsync(bootstrap, "events", 3000, "slay_dragon");

        var stopping = broker.StopAsync();
        var refused = await ProduceOneAsync(bootstrap);
        await stopping.WaitAsync(TimeSpan.FromSeconds(45));

        // Read the moment the broker is gone: nothing more can land after it.
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(held.Select(id => id.ToString()).Order(), lake.EventIds("slay_dragons").Order());
        Assert.Equal(PersistenceStatus.NotPersisted, refused.Status);
        Assert.Equal(ErrorCode.Local_MsgTimedOut, refused.Error.Code);
        await streaming.StopAsync();
    }

    [Fact]
    public async Task Without_a_stream_processor_a_stop_waits_no_longer_than_its_drain_timeout()
    {
        using var broker = StartBroker(TimeSpan.FromSeconds(2));
        await broker.StartAsync();
        var bootstrap = broker.Broker().BootstrapServers;
        await StreamingHost.ProduceAsync(bootstrap, "events", 10);

        var started = Stopwatch.GetTimestamp();
        await broker.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(2), "the stop did not wait for the unlanded records");
    }

    private IHost StartBroker(TimeSpan drainTimeout) =>
        DevBrokerHost.Build(_group, partitions: 4, new Dictionary<string, string?> { ["DevBroker:DrainTimeout"] = drainTimeout.ToString() });

    /// <summary>One record, as the collector produces it, with a short message timeout; the report, whatever it says.</summary>
    private static async Task<DeliveryReport<string, byte[]>> ProduceOneAsync(string bootstrap)
    {
        await Task.Delay(200);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = 1500,
        }).Build();
        var report = new TaskCompletionSource<DeliveryReport<string, byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Produce("events", new Message<string, byte[]> { Key = "refused", Value = [1] }, report.SetResult);
        return await report.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _lake.Dispose();
}
