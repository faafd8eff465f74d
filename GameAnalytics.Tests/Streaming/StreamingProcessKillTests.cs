using System.Diagnostics;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>The real GameAnalytics.Streaming process, killed with SIGKILL mid-stream and started again.</summary>
[Collection(KafkaCollection.Name)]
public sealed class StreamingProcessKillTests(DevBrokerFixture kafka) : IDisposable
{
    private readonly TempDirectory _lake = new();
    private readonly string _topic = $"events-{Guid.NewGuid():N}";

    [Fact]
    public async Task Kill_9_while_landing_then_restart_lands_every_event_exactly_once()
    {
        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 20_000);
        using var lake = new LakeQuery(_lake.Path);

        for (var kill = 0; kill < 2; kill++)
        {
            using var doomed = StartProcess();
            var landedBefore = lake.EventIds("sword_purchases").Count;
            await StreamingHost.WaitUntilAsync(() => doomed.HasExited || lake.EventIds("sword_purchases").Count > landedBefore, "the process lands something");
            Assert.False(doomed.HasExited, "the streaming process exited on its own");
            doomed.Kill();
            await doomed.WaitForExitAsync();
        }

        Assert.True(lake.EventIds("sword_purchases").Count < sent.Count, "the kills came too late to interrupt the landing");

        using var survivor = StartProcess();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= sent.Count, "every event lands after the restart", TimeSpan.FromSeconds(90));
        await Task.Delay(1000);
        survivor.Kill();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    private Process StartProcess()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GameAnalytics.Streaming.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
                ["Streaming__Topic"] = _topic,
                ["Streaming__GroupId"] = "tests-kill",
                ["Streaming__FlushEvents"] = "500",
                ["Streaming__FlushInterval"] = "00:00:00.100",
                ["Lake__Root"] = _lake.Path,
            },
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose() => _lake.Dispose();
}
