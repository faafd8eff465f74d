using System.Text.Json;
using Confluent.Kafka;
using GameAnalytics.DevBroker.Broker;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GameAnalytics.Tests.Streaming;

/// <summary>The stream processor against the dev broker over TCP, read back with DuckDB.</summary>
[Collection(KafkaCollection.Name)]
public sealed class StreamingPipelineTests(DevBrokerFixture kafka) : IDisposable
{
    private readonly TempDirectory _lake = new();
    private readonly string _topic = $"events-{Guid.NewGuid():N}";

    [Fact]
    public async Task Lands_every_event_once_in_its_table_with_the_right_types()
    {
        var swords = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 300, "purchase_sword");
        var butterflies = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200, "catch_butterfly");
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        using var lake = new LakeQuery(_lake.Path);

        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 300 && lake.EventIds("catch_butterflies").Count >= 200, "500 events land");
        await host.StopAsync();

        Assert.Equal(swords.Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
        Assert.Equal(butterflies.Select(id => id.ToString()).Order(), lake.EventIds("catch_butterflies").Order());

        var columns = lake.Rows($"describe select * from {lake.Table("sword_purchases")}").Select(row => $"{row[0]} {row[1]}").ToList();
        Assert.Equal(
            [
                "raw_event VARCHAR", "timestamp VARCHAR", "accept VARCHAR", "host VARCHAR", "user-agent VARCHAR", "event_type VARCHAR",
                "event_id VARCHAR", "user_id VARCHAR", "received_at TIMESTAMP WITH TIME ZONE", "client_time TIMESTAMP WITH TIME ZONE",
                "properties VARCHAR", "kafka_partition INTEGER", "kafka_offset BIGINT", "app_id VARCHAR", "dt DATE",
            ],
            columns);
        Assert.Equal(3L, lake.Scalar<long>($"select count(distinct host) from {lake.Table("sword_purchases")}"));
        Assert.Equal(300L, lake.Scalar<long>($"select count(*) from {lake.Table("sword_purchases")} where \"user-agent\" = 'tests' and event_type = 'purchase_sword'"));
    }

    [Fact]
    public async Task Filtered_reads_equal_the_unfiltered_truth()
    {
        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 400, "slay_dragon");
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        using var lake = new LakeQuery(_lake.Path);
        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("slay_dragons").Count >= 400, "400 events land");
        await host.StopAsync();

        var table = lake.Table("slay_dragons");
        var rows = lake.Rows($"select received_at, dt, user_id from {table}");
        var times = rows.Select(row => (DateTime)row[0]!).Order().ToList();
        var middle = times[times.Count / 2];
        var cut = middle.ToString("yyyy-MM-dd HH:mm:ss.fff");

        // Statistics-based row-group skipping must not change answers.
        Assert.Equal(times.Count(t => t >= middle), lake.Scalar<long>($"select count(*) from {table} where received_at >= TIMESTAMPTZ '{cut}+00'"));
        Assert.Equal(times.Count(t => t < middle), lake.Scalar<long>($"select count(*) from {table} where received_at < TIMESTAMPTZ '{cut}+00'"));
        var day = (DateOnly)rows[0][1]!;
        Assert.Equal(rows.Count(row => (DateOnly)row[1]! == day), lake.Scalar<long>($"select count(*) from {table} where dt = DATE '{day:yyyy-MM-dd}'"));
        Assert.Equal(rows.Count(row => (string)row[2]! == "user2.datafun.com"), lake.Scalar<long>($"select count(*) from {table} where user_id = 'user2.datafun.com'"));
        Assert.Equal(rows.Count(row => string.CompareOrdinal((string)row[2]!, "user2") > 0), lake.Scalar<long>($"select count(*) from {table} where user_id > 'user2'"));
    }

    [Fact]
    public async Task Poison_records_land_in_rejected_events_with_the_reason_and_the_stream_goes_on()
    {
        await StreamingHost.ProduceRawAsync(kafka.BootstrapServers, _topic, "k", StreamingHost.Utf8("this is not json"));
        await StreamingHost.ProduceRawAsync(kafka.BootstrapServers, _topic, "k", [0xff, 0xfe, 0x00]);
        await StreamingHost.ProduceRawAsync(kafka.BootstrapServers, _topic, "k", StreamingHost.Utf8(
            """{"schema_version":1,"event_id":"0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f","event_type":"summon_demon","user_id":"u","received_at":"2026-11-29T20:00:00Z"}"""));
        var good = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 5, "join_guild", user: "k");
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        using var lake = new LakeQuery(_lake.Path);

        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= 5 && lake.HasFiles("rejected_events"), "the good and the poison records land");
        await host.StopAsync();

        var rejected = lake.Rows($"select reason, kafka_offset, raw_event, octet_length(raw_bytes) from {lake.Table("rejected_events")} order by kafka_offset");
        Assert.Equal(3, rejected.Count);
        Assert.StartsWith("The record is not a valid event envelope", (string)rejected[0][0]!);
        Assert.Equal("this is not json", rejected[0][2]);
        Assert.Equal("The record is not UTF-8 text.", rejected[1][0]);
        Assert.Equal(3L, rejected[1][3]);
        Assert.Equal("event_type 'summon_demon' is not in this processor's event catalog.", rejected[2][0]);
        Assert.Equal([0L, 1L, 2L], rejected.Select(row => (long)row[1]!));
        Assert.Equal(good.Select(id => id.ToString()).Order(), lake.EventIds("join_guilds").Order());
    }

    [Fact]
    public async Task A_restart_resumes_where_the_lake_left_off()
    {
        var before = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 100);
        using var lake = new LakeQuery(_lake.Path);
        using (var first = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path))
        {
            await first.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 100, "the first 100 land");
            await first.StopAsync();
        }

        var after = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 100);
        using (var second = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path))
        {
            await second.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 200, "all 200 land");
            await Task.Delay(1000);
            await second.StopAsync();
        }

        Assert.Equal(before.Concat(after).Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    [Theory]
    [InlineData(CommitStep.DuringWrite)]
    [InlineData(CommitStep.AfterCommitRecord)]
    [InlineData(CommitStep.AfterPublish)]
    public async Task A_crash_inside_the_running_processor_loses_and_duplicates_nothing(CommitStep crashAt)
    {
        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200);
        using var lake = new LakeQuery(_lake.Path);
        var crashed = false;
        using (var crashing = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path, step =>
               {
                   if (step == crashAt && !crashed)
                   {
                       crashed = true;
                       throw new InvalidOperationException("simulated crash");
                   }
               }))
        {
            await crashing.StartAsync();
            await StreamingHost.WaitUntilAsync(() => crashed, "the processor crashes");
            await Task.Delay(500);
            await crashing.StopAsync();
        }

        using (var restarted = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path))
        {
            await restarted.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 200, "all 200 land after the restart");
            await Task.Delay(1000);
            await restarted.StopAsync();
        }

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public async Task Two_instances_share_the_partitions_and_land_each_event_once()
    {
        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 400);
        using var lake = new LakeQuery(_lake.Path);
        using var one = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        using var two = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);

        await one.StartAsync();
        await two.StartAsync();
        var more = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200);
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 600, "600 land with two instances");
        await one.StopAsync();
        var last = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200);
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 800, "the survivor takes over");
        await Task.Delay(1000);
        await two.StopAsync();

        Assert.Equal(sent.Concat(more).Concat(last).Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public async Task A_new_broker_whose_offsets_start_again_loses_no_new_event()
    {
        using var lake = new LakeQuery(_lake.Path);
        var old = DevKafkaBroker.Start(new DevBrokerOptions { Port = 0 });
        List<Guid> before;
        await using (old)
        {
            before = await StreamingHost.ProduceAsync(old.BootstrapServers, _topic, 200);
            using var first = StreamingHost.Build(old.BootstrapServers, _topic, _lake.Path);
            await first.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 200, "the old broker's events land");
            await first.StopAsync();
        }

        // The new broker is empty: its offsets start at 0 again, below what the lake has landed.
        await using var fresh = DevKafkaBroker.Start(new DevBrokerOptions { Port = 0 });
        var after = await StreamingHost.ProduceAsync(fresh.BootstrapServers, _topic, 20);
        using var second = StreamingHost.Build(fresh.BootstrapServers, _topic, _lake.Path);
        await second.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= 220, "the new broker's events land");
        await Task.Delay(1000);
        await second.StopAsync();

        Assert.Equal(before.Concat(after).Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public async Task A_client_retry_of_an_event_is_landed_once_even_across_a_restart()
    {
        var retried = Guid.CreateVersion7();
        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 3, "join_guild", user: "user1.datafun.com", eventId: retried);
        var others = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 10, "join_guild", user: "user1.datafun.com");
        using var lake = new LakeQuery(_lake.Path);
        using (var first = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path))
        {
            await first.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= 11, "the events land");
            await Task.Delay(1000);
            await first.StopAsync();
        }

        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 1, "join_guild", user: "user1.datafun.com", eventId: retried);
        var marker = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 1, "join_guild", user: "user1.datafun.com");
        using (var second = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path))
        {
            await second.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Contains(marker[0].ToString()), "the later events land");
            await Task.Delay(500);
            await second.StopAsync();
        }

        Assert.Equal(others.Concat(marker).Append(retried).Select(id => id.ToString()).Order(), lake.EventIds("join_guilds").Order());
    }

    [Fact]
    public async Task An_event_is_its_players_event_id_two_players_sharing_an_id_both_land_and_a_retry_lands_once()
    {
        var shared = Guid.CreateVersion7();
        // One Kafka key, so that all of them meet in one partition's retry window.
        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 2, "join_guild", user: "player-a", eventId: shared, key: "one-partition");
        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 1, "join_guild", user: "player-b", eventId: shared, key: "one-partition");
        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 1, "slay_dragon", user: "player-a", eventId: shared, key: "one-partition");
        using var lake = new LakeQuery(_lake.Path);
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= 2 && lake.EventIds("slay_dragons").Count >= 1, "the events land");
        await Task.Delay(1000);
        await host.StopAsync();

        Assert.Equal(["player-a", "player-b"], lake.Rows($"select user_id from {lake.Table("join_guilds")} order by user_id").Select(row => (string)row[0]!));
        Assert.Equal([shared.ToString()], lake.EventIds("slay_dragons"));
    }

    [Fact]
    public async Task Large_events_are_landed_when_their_bytes_reach_the_limit_not_only_their_count_or_age()
    {
        var padding = new string('x', 10_000);
        var sent = new List<Guid>();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 100; i++)
            {
                var envelope = new EventEnvelope
                {
                    EventId = Guid.CreateVersion7(),
                    EventType = "slay_dragon",
                    UserId = "one-player",
                    ReceivedAt = DateTimeOffset.UtcNow,
                    Properties = JsonSerializer.SerializeToElement(new { padding }),
                };
                sent.Add(envelope.EventId);
                producer.Produce(_topic, new Message<string, byte[]> { Key = envelope.UserId, Value = envelope.ToUtf8Json() });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        using var lake = new LakeQuery(_lake.Path);
        // Neither the count nor the age would land anything within the test: only the bytes.
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path, settings: new Dictionary<string, string?>
        {
            ["Streaming:FlushBytes"] = "200000",
            ["Streaming:FlushEvents"] = "1000000",
            ["Streaming:FlushInterval"] = "00:10:00",
            ["Streaming:CatchUpOnStop"] = "00:00:00",
        });
        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("slay_dragons").Count >= 80, "the first 1 MB lands in batches of 200 KB", TimeSpan.FromSeconds(30));
        var files = new LakeTables(new LocalLakeStorage(_lake.Path)).Files("slay_dragons").Count;
        await host.StopAsync();

        Assert.InRange(files, 4, 6);
        var landed = lake.EventIds("slay_dragons");
        Assert.Equal(landed.Count, landed.Distinct().Count());
        Assert.Subset(sent.Select(id => id.ToString()).ToHashSet(), landed.ToHashSet());
    }

    [Fact]
    public async Task Records_kafka_dropped_before_they_landed_are_reported_as_lost_never_skipped_silently()
    {
        const string user = "user1.datafun.com";
        var early = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 10, "join_guild", user: user);
        using var lake = new LakeQuery(_lake.Path);
        using (var first = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path))
        {
            await first.StartAsync();
            await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= 10, "the first events land");
            await first.StopAsync();
        }

        // The dev broker keeps about 5 MiB per partition: push the next records of this partition out of it.
        var noise = new byte[100_000];
        for (var i = 0; i < 80; i++)
        {
            Random.Shared.NextBytes(noise);
            await StreamingHost.ProduceRawAsync(kafka.BootstrapServers, _topic, user, noise);
        }

        var late = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 5, "join_guild", user: user);
        using var second = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        await second.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= 15, "the records still in Kafka land");
        var health = await second.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await second.StopAsync();

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Matches(@"DATA LOST: Kafka no longer had partition \d+ offsets 10 to \d+, which the lake needed", health.Entries["streaming"].Description);
        Assert.Equal(early.Concat(late).Select(id => id.ToString()).Order(), lake.EventIds("join_guilds").Order());
    }

    public void Dispose() => _lake.Dispose();
}
