using System.Diagnostics;
using System.Net.Sockets;
using Confluent.Kafka;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.Tests.Streaming;

/// <summary>The dev broker as its own process, frozen with SIGSTOP under load and resumed: the stream processor carries on.</summary>
public sealed class BrokerFreezeTests : IDisposable
{
    private const string Topic = "frozen";
    private readonly TempDirectory _lake = new();
    private readonly int _port = TestPorts.Free();
    private Process? _broker;

    [Fact]
    public async Task A_broker_frozen_and_resumed_under_load_loses_nothing_and_stops_nothing()
    {
        _broker = StartBroker();
        var bootstrap = $"127.0.0.1:{_port}";
        using var lake = new LakeQuery(_lake.Path);
        using var host = StreamingHost.Build(bootstrap, Topic, _lake.Path, groupId: "tests-broker-freeze");
        await host.StartAsync();

        var persisted = new List<Guid>();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = 60_000,
        }).Build();
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var envelope = new EventEnvelope
                {
                    EventId = Guid.CreateVersion7(),
                    EventType = "catch_butterfly",
                    UserId = $"player{i % 40}",
                    ReceivedAt = DateTimeOffset.UtcNow,
                    Host = "tests",
                };
                producer.Produce(Topic, new Message<string, byte[]> { Key = envelope.UserId, Value = envelope.ToUtf8Json() }, report =>
                {
                    if (report.Status == PersistenceStatus.Persisted)
                    {
                        lock (persisted)
                        {
                            persisted.Add(envelope.EventId);
                        }
                    }
                });
                await Task.Delay(i % 20 == 0 ? 10 : 0);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Signals.Freeze(_broker);
        await Task.Delay(TimeSpan.FromSeconds(10));
        Signals.Thaw(_broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await producing;
        producer.Flush(TimeSpan.FromSeconds(60));

        List<Guid> expected;
        lock (persisted)
        {
            expected = [.. persisted];
        }

        await StreamingHost.WaitUntilAsync(() => lake.EventIds("catch_butterflies").Count >= expected.Count, "every acknowledged event lands", TimeSpan.FromSeconds(90));
        await Task.Delay(1000);
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        Assert.NotEqual(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(expected.Select(id => id.ToString()).Order(), lake.EventIds("catch_butterflies").Order());
    }

    private Process StartBroker()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GameAnalytics.DevBroker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["DevBroker__Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"DevBroker__Topics__{Topic}"] = "4",
                ["DevBroker__DrainTimeout"] = "00:00:00",
            },
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", _port);
                return process;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException("The dev broker process did not listen within 30 s.");
    }

    public void Dispose()
    {
        if (_broker is { HasExited: false })
        {
            Signals.Thaw(_broker);
            _broker.Kill();
            _broker.WaitForExit();
        }

        _broker?.Dispose();
        _lake.Dispose();
    }
}
