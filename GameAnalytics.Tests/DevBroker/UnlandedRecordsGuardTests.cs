using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GameAnalytics.Contracts;
using GameAnalytics.DevBroker.Broker;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.DevBroker;

/// <summary>A 2xx means the event is safe: while the stream processor is away, the dev broker refuses rather than evicts.</summary>
public sealed class UnlandedRecordsGuardTests : IDisposable
{
    private const int Partitions = 4;
    private const int BatchSize = 500;
    // Well past the 5 MiB a partition holds, so that without the guard the broker would evict accepted events.
    private const int MaxEventsSent = 300_000;

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly TempDirectory _lake = new();
    private readonly string _group = $"tests-guard-{Guid.NewGuid():N}";

    [Fact]
    public async Task With_the_stream_processor_stopped_the_collector_answers_503_and_every_accepted_event_lands_once()
    {
        using var broker = DevBrokerHost.Build(_group, Partitions, new Dictionary<string, string?>
        {
            ["DevBroker:DrainTimeout"] = "00:00:00",
            ["DevBroker:TrimInterval"] = "00:00:00.200",
        });
        await broker.StartAsync();
        var devBroker = broker.Broker();
        var accepted = new List<Guid>();

        // The group lands (and commits) a few events, then stops: from here the broker holds the only copy.
        using (var streaming = StreamingHost.Build(devBroker.BootstrapServers, "events", _lake.Path, groupId: _group))
        {
            await streaming.StartAsync();
            accepted.AddRange(await StreamingHost.ProduceAsync(devBroker.BootstrapServers, "events", 100, "slay_dragon"));
            using var landed = new LakeQuery(_lake.Path);
            await StreamingHost.WaitUntilAsync(() => landed.EventIds("slay_dragons").Count == 100, "the first events land");
            await streaming.StopAsync();
        }

        await using var collector = new CollectorFactory(devBroker.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:DeliveryTimeout"] = "00:00:02",
        });
        using var client = collector.CreateClient();
        HttpResponseMessage? refused = null;
        for (var sent = 0; sent < MaxEventsSent && refused is null; sent += BatchSize)
        {
            var response = await client.PostAsync(IngestRoutes.Events, Batch(BatchSize));
            var answer = await response.Content.ReadFromJsonAsync<IngestResponse>(SnakeCase);
            accepted.AddRange(answer!.Results.Where(result => result.Status == EventStatus.Accepted).Select(result => result.EventId!.Value));

            // A 503 before the broker paused is the producer's first connection outlasting the short timeout on a
            // busy machine: those events were not accepted, and the run goes on.
            refused = response.StatusCode == HttpStatusCode.ServiceUnavailable && devBroker.Intake == RecordIntake.Paused ? response : null;
        }

        Assert.NotNull(refused);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.True(accepted.Count > 20_000, $"refused after only {accepted.Count} events, long before the broker was full");

        // Back again, the stream processor lands every accepted event once, and the broker takes records again.
        using (var streaming = StreamingHost.Build(devBroker.BootstrapServers, "events", _lake.Path, groupId: _group))
        {
            await streaming.StartAsync();
            using var lake = new LakeQuery(_lake.Path);
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("slay_dragons").Count >= accepted.Count, "every accepted event lands", TimeSpan.FromSeconds(90));
            Assert.Equal(accepted.Select(id => id.ToString()).Order(), lake.EventIds("slay_dragons").Order());

            await StreamingHost.WaitUntilAsync(() => devBroker.Intake == RecordIntake.Accepting, "the broker accepts records again");
            using var again = await client.PostAsync(IngestRoutes.Events, Batch(10));
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            await streaming.StopAsync();
        }

        await broker.StopAsync();
    }

    private static StringContent Batch(int count)
    {
        var events = Enumerable.Range(0, count).Select(i =>
            $$$"""{"event_type":"slay_dragon","user_id":"player-{{{i % 97}}}","event_id":"{{{Guid.CreateVersion7()}}}","properties":{"dragon":"red-{{{i}}}","damage":{{{i * 7}}}}}""");
        return new StringContent($"[{string.Join(',', events)}]", Encoding.UTF8, "application/json");
    }

    public void Dispose() => _lake.Dispose();
}
