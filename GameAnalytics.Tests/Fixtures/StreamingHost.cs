using System.Text;
using Confluent.Kafka;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Streaming.Landing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The real stream processor in-process, on its own topic of the dev broker and its own lake.</summary>
public static class StreamingHost
{
    public static IHost Build(
        string bootstrapServers, string topic, string lakeRoot, Action<CommitStep>? onCommitStep = null, string groupId = "tests-streaming",
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = bootstrapServers,
            ["Streaming:Topic"] = topic,
            ["Streaming:GroupId"] = groupId,
            ["Streaming:FlushInterval"] = "00:00:00.200",
            ["Lake:Root"] = lakeRoot,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddStreaming();
        var host = builder.Build();
        if (onCommitStep is not null)
        {
            host.Services.GetRequiredService<LakeCommitter>().OnStep = onCommitStep;
        }

        return host;
    }

    public static async Task<List<Guid>> ProduceAsync(string bootstrapServers, string topic, int count, string eventType = "purchase_sword", string? user = null, Guid? eventId = null, string? key = null)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, Acks = Acks.All, EnableIdempotence = true }).Build();
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            var envelope = new EventEnvelope
            {
                EventId = eventId ?? Guid.CreateVersion7(),
                EventType = eventType,
                UserId = user ?? $"user{i % 3 + 1}.datafun.com",
                ReceivedAt = DateTimeOffset.UtcNow,
                Host = $"user{i % 3 + 1}.datafun.com",
                UserAgent = "tests",
                Accept = "*/*",
            };
            ids.Add(envelope.EventId);
            producer.Produce(topic, new Message<string, byte[]> { Key = key ?? envelope.UserId, Value = envelope.ToUtf8Json() });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        await Task.CompletedTask;
        return ids;
    }

    public static async Task ProduceRawAsync(string bootstrapServers, string topic, string key, byte[] value)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value });
    }

    /// <summary>Polls until <paramref name="condition"/> holds, or fails after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(200);
        }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
