using System.Diagnostics;
using System.Text.RegularExpressions;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>The real GameAnalytics.Streaming process, killed with SIGKILL mid-stream and started again.</summary>
[Collection(KafkaCollection.Name)]
public sealed class StreamingProcessKillTests(DevBrokerFixture kafka) : IDisposable
{
    private const int Players = 24;

    private readonly TempDirectory _lake = new();
    private readonly string _topic = $"events-{Guid.NewGuid():N}";
    private readonly List<Process> _started = [];

    [Fact]
    public async Task Kill_9_while_landing_then_restart_lands_every_event_exactly_once()
    {
        var sent = await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 20_000);
        using var lake = new LakeQuery(_lake.Path);

        for (var kill = 0; kill < 2; kill++)
        {
            var doomed = StartProcess();
            var landedBefore = lake.EventIds("sword_purchases").Count;
            await StreamingHost.WaitUntilAsync(() => doomed.HasExited || lake.EventIds("sword_purchases").Count > landedBefore, "the process lands something");
            Assert.False(doomed.HasExited, "the streaming process exited on its own");
            doomed.Kill();
            await doomed.WaitForExitAsync();
        }

        Assert.True(lake.EventIds("sword_purchases").Count < sent.Count, "the kills came too late to interrupt the landing");

        var survivor = StartProcess();
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= sent.Count, "every event lands after the restart", TimeSpan.FromSeconds(90));
        await Task.Delay(1000);
        survivor.Kill();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public async Task Of_two_instances_one_killed_mid_batch_the_other_lands_every_event_exactly_once()
    {
        const string group = "tests-kill-shared";
        using var lake = new LakeQuery(_lake.Path);
        var sent = await ProduceOnePerPlayerAsync();

        var survivorLog = new StringWriter();
        var doomedLog = new StringWriter();
        // Without the retry window, which would hide a partition resumed at the wrong offset by dropping what it reads again.
        var survivor = StartProcess(group, survivorLog, dedupWindow: 0);
        var doomed = StartProcess(group, doomedLog, dedupWindow: 0);
        bool Owns(StringWriter log) { lock (log) { return log.ToString().Contains("assigned: resuming"); } }
        await StreamingHost.WaitUntilAsync(() => Owns(survivorLog) && Owns(doomedLog), "both instances own partitions");

        // While events keep coming, one instance dies between two of its commits, and events go on arriving for its partitions.
        using var stopProducing = new CancellationTokenSource();
        var producing = ProduceUntilAsync(stopProducing.Token);
        // The doomed instance must have committed some of its own partitions' events, so that the survivor resumes after them.
        bool DoomedLanded()
        {
            string log;
            lock (doomedLog)
            {
                log = doomedLog.ToString();
            }

            var owned = Regex.Matches(log, @"Partition (\d+) assigned").Select(match => match.Groups[1].Value).ToList();
            return owned.Count > 0 && lake.EventIds("sword_purchases").Count > 1000
                && lake.Scalar<long>($"select count(*) from {lake.Table("sword_purchases")} where kafka_partition in ({string.Join(", ", owned)})") > 0;
        }

        await StreamingHost.WaitUntilAsync(() => doomed.HasExited || DoomedLanded(), "both instances land");
        Assert.False(doomed.HasExited, "the streaming process exited on its own");
        doomed.Kill();
        await doomed.WaitForExitAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stopProducing.CancelAsync();
        sent.AddRange(await producing);
        Assert.True(lake.EventIds("sword_purchases").Count < sent.Count, "the dead instance's partitions had nothing left to land");

        // The survivor takes the dead one's partitions after the session timeout and resumes them from the lake.
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("sword_purchases").Count >= sent.Count, "every event lands after the kill", TimeSpan.FromSeconds(90));
        await Task.Delay(1000);
        survivor.Kill();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public async Task Of_two_instances_one_frozen_past_its_session_while_it_holds_a_staged_batch_every_event_lands_once()
    {
        const string group = "tests-freeze-shared";
        using var lake = new LakeQuery(_lake.Path);
        var sent = await ProduceOnePerPlayerAsync();

        var frozenLog = new StringWriter();
        var otherLog = new StringWriter();
        var frozen = StartProcess(group, frozenLog, dedupWindow: 0);
        var other = StartProcess(group, otherLog, dedupWindow: 0);
        List<string> Owned(StringWriter log) { lock (log) { return [.. Regex.Matches(log.ToString(), @"Partition (\d+) assigned").Select(match => match.Groups[1].Value)]; } }
        await StreamingHost.WaitUntilAsync(() => Owned(frozenLog).Count > 0 && Owned(otherLog).Count > 0, "both instances own partitions");

        using var stopProducing = new CancellationTokenSource();
        var producing = ProduceUntilAsync(stopProducing.Token);

        // Freeze it the moment one of its batches is staged and not yet committed; if the freeze came too late, thaw and try again.
        List<string> StagedOf(Process process) =>
            [.. Directory.EnumerateFiles(_lake.Path, ".p*.tmp", SearchOption.AllDirectories)
                .Where(path => Owned(frozenLog).Any(partition => Path.GetFileName(path).StartsWith($".p{int.Parse(partition):D3}-", StringComparison.Ordinal)))];
        var caught = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!caught && DateTime.UtcNow < deadline)
        {
            if (StagedOf(frozen).Count == 0)
            {
                await Task.Delay(2);
                continue;
            }

            Signals.Freeze(frozen);
            caught = StagedOf(frozen).Count > 0;
            if (!caught)
            {
                Signals.Thaw(frozen);
            }
        }

        Assert.True(caught, "the instance was never frozen with a staged batch");
        // Past its 6 s session: the other instance takes its partitions over and lands them.
        await Task.Delay(TimeSpan.FromSeconds(12));
        Signals.Thaw(frozen);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stopProducing.CancelAsync();
        sent.AddRange(await producing);

        var landingDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (lake.EventIds("sword_purchases").Count < sent.Count && DateTime.UtcNow < landingDeadline)
        {
            await Task.Delay(200);
        }

        if (lake.EventIds("sword_purchases").Count < sent.Count)
        {
            Assert.Fail($"{lake.EventIds("sword_purchases").Count} of {sent.Count} events landed in 90 s. Frozen instance:\n{Problems(frozenLog)}\nOther instance:\n{Problems(otherLog)}");
        }

        await Task.Delay(2000);
        Assert.False(frozen.HasExited, "the frozen instance stopped");
        Assert.False(other.HasExited, "the other instance stopped");
        frozen.Kill();
        other.Kill();

        Assert.Equal(sent.Select(id => id.ToString()).Order(), lake.EventIds("sword_purchases").Order());
        lock (frozenLog)
        {
            Assert.DoesNotContain("DATA LOST", frozenLog.ToString());
        }
    }

    /// <summary>The log's warnings and errors with the line after each (the message), at most the last 40 lines.</summary>
    private static string Problems(StringWriter log)
    {
        string[] lines;
        lock (log)
        {
            lines = log.ToString().Split('\n');
        }

        var problems = lines.Select((line, i) => (line, i))
            .Where(entry => entry.line.StartsWith("warn:", StringComparison.Ordinal) || entry.line.StartsWith("fail:", StringComparison.Ordinal) || entry.line.Contains("assigned", StringComparison.Ordinal))
            .SelectMany(entry => lines.Skip(entry.i).Take(2));
        return string.Join('\n', problems.TakeLast(40));
    }

    /// <summary>Many players, so that every partition has events; the first of each makes the topic before the instances start.</summary>
    private async Task<List<Guid>> ProduceOnePerPlayerAsync()
    {
        var sent = new List<Guid>();
        for (var player = 0; player < Players; player++)
        {
            sent.AddRange(await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 1, user: $"player{player}"));
        }

        return sent;
    }

    /// <summary>Events keep coming, for every player in turn, until cancelled; returns their ids.</summary>
    private Task<List<Guid>> ProduceUntilAsync(CancellationToken stop) => Task.Run(async () =>
    {
        var ids = new List<Guid>();
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            ids.AddRange(await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 50, user: $"player{round % Players}"));
        }

        return ids;
    });

    private Process StartProcess(string group = "tests-kill", StringWriter? log = null, int dedupWindow = 100_000)
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
                ["Streaming__GroupId"] = group,
                ["Streaming__FlushEvents"] = "500",
                ["Streaming__FlushInterval"] = "00:00:00.100",
                ["Lake__Root"] = _lake.Path,
                ["Streaming__DedupWindow"] = dedupWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        var process = Process.Start(start)!;
        _started.Add(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (log is not null && line.Data is not null)
            {
                lock (log)
                {
                    log.WriteLine(line.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose()
    {
        // A failed test must not leave its processes landing (and holding consumer groups) behind.
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }

        _lake.Dispose();
    }
}
