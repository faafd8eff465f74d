using System.Net;
using System.Text;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Streaming.Consuming;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.Tests.Streaming;

/// <summary>Faults that pass are retried: the stream processor turns degraded, never stops, and lands everything once.</summary>
[Collection(KafkaCollection.Name)]
public sealed class LandingFaultTests(DevBrokerFixture kafka)
{
    private readonly string _topic = $"events-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_full_disk_suspends_landing_and_it_resumes_exactly_once_when_space_is_freed()
    {
        using var disk = new SmallDisk(mebibytes: 8);
        var lakeRoot = Path.Combine(disk.Path, "lake");
        using var lake = new LakeQuery(lakeRoot);
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, lakeRoot);
        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 300, "slay_dragon");
        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("slay_dragons").Count >= 300, "the first events land");

        var filler = disk.Fill();
        sent.AddRange(await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 300, "slay_dragon"));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        HealthReport? degraded = null;
        await StreamingHost.WaitUntilAsync(() => (degraded = health.CheckHealthAsync().Result).Status == HealthStatus.Degraded, "health turns degraded");
        Assert.Contains("No space left on device", degraded!.Entries["streaming"].Description);

        File.Delete(filler);
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("slay_dragons").Count >= sent.Count, "every event lands once space is freed", TimeSpan.FromSeconds(90));
        await StreamingHost.WaitUntilAsync(() => health.CheckHealthAsync().Result.Status == HealthStatus.Healthy, "health recovers");
        await host.StopAsync();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("slay_dragons").Order());
        Assert.Empty(Directory.EnumerateFiles(lakeRoot, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_lake_that_refuses_writes_suspends_landing_and_it_resumes_exactly_once_when_it_accepts_them_again()
    {
        using var disk = new SmallDisk(mebibytes: 64);
        var lakeRoot = Path.Combine(disk.Path, "lake");
        using var lake = new LakeQuery(lakeRoot);
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, lakeRoot);
        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200, "join_guild");
        await host.StartAsync();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= 200, "the first events land");

        disk.SetReadOnly(true);
        try
        {
            sent.AddRange(await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200, "join_guild"));
            var health = host.Services.GetRequiredService<HealthCheckService>();
            await StreamingHost.WaitUntilAsync(() => health.CheckHealthAsync().Result.Status == HealthStatus.Degraded, "health turns degraded");
            Assert.Contains("Read-only file system", (await health.CheckHealthAsync()).Entries["streaming"].Description);
        }
        finally
        {
            disk.SetReadOnly(false);
        }

        await StreamingHost.WaitUntilAsync(() => lake.EventIds("join_guilds").Count >= sent.Count, "every event lands once writes are accepted", TimeSpan.FromSeconds(90));
        await host.StopAsync();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("join_guilds").Order());
    }

    [Fact]
    public async Task A_topic_created_after_the_service_started_is_landed_once_it_exists()
    {
        using var lakeDirectory = new TempDirectory();
        using var lake = new LakeQuery(lakeDirectory.Path);
        using var host = StreamingHost.Build(kafka.BootstrapServers, _topic, lakeDirectory.Path);
        await host.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.NotEqual(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);

        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 200, "catch_butterfly");
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("catch_butterflies").Count >= sent.Count, "the new topic's events land", TimeSpan.FromSeconds(90));
        await host.StopAsync();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("catch_butterflies").Order());
    }

    [Fact]
    public async Task WebHDFS_in_safe_mode_failing_with_5xx_or_timing_out_is_a_fault_that_passes()
    {
        using var listener = new HttpListener();
        var port = TestPorts.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                if (context.Request.Url!.Query.Contains("op=LISTSTATUS", StringComparison.Ordinal))
                {
                    continue; // never answered: a namenode that hangs
                }

                // What a namenode answers while it is in safe mode, as its RemoteException JSON.
                var body = Encoding.UTF8.GetBytes("""{"RemoteException":{"exception":"SafeModeException","javaClassName":"org.apache.hadoop.hdfs.server.namenode.SafeModeException","message":"Cannot create file. Name node is in safe mode."}}""");
                context.Response.StatusCode = context.Request.Url.Query.Contains("op=GETFILESTATUS", StringComparison.Ordinal) ? 503 : 403;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var storage = new WebHdfsLakeStorage(http, new HdfsOptions { WebHdfsEndpoint = new Uri($"http://127.0.0.1:{port}") });

        var unavailable = Assert.ThrowsAny<Exception>(() => storage.Exists("sword_purchases/x.parquet"));
        var safeMode = Assert.ThrowsAny<Exception>(() => storage.Write("sword_purchases/x.parquet", stream => stream.WriteByte(1)));
        var timedOut = Assert.ThrowsAny<Exception>(() => storage.ListFiles("sword_purchases", recursive: false).ToList());

        Assert.Contains("503", unavailable.Message);
        Assert.Contains("safe mode", safeMode.Message);
        Assert.All(new[] { unavailable, safeMode, timedOut }, fault => Assert.True(LandingFaults.IsTransient(fault), $"{fault.GetType().Name}: {fault.Message} is not retried"));
        Assert.False(LandingFaults.IsTransient(new InvalidDataException("The commit record is empty.")));
        listener.Stop();
        await Task.WhenAny(answering, Task.Delay(1000));
    }
}
