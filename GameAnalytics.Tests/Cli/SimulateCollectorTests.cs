using GameAnalytics.Cli;
using GameAnalytics.Cli.Simulation;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Testing;

namespace GameAnalytics.Tests.Cli;

/// <summary>
/// <c>gamectl simulate</c> over real TCP against the real collector on Kestrel, producing to the dev broker; what it
/// reports is checked against what landed in Kafka.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class SimulateCollectorTests(DevBrokerFixture kafka) : IAsyncLifetime
{
    private CollectorFactory _collector = null!;
    private string _address = null!;

    // Each run names its users under its own domain, so that its records stand apart from other tests' in the topic.
    private readonly string _domain = $"run-{Guid.NewGuid():N}.test";

    public Task InitializeAsync()
    {
        _collector = StartOnKestrel(new CollectorFactory(kafka.BootstrapServers));
        _address = Address(_collector);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    [Fact]
    public async Task Two_rounds_of_the_original_scenario_send_its_pattern_and_land_in_kafka()
    {
        using var run = await SimulationRun.StartAsync(_address, "--rounds", "2", "--interval", "0", "--domain", _domain);

        Assert.True(run.ExitCode == GameCtl.Ok, run.Console.Output);
        Assert.Equal(34, run.Events("sent"));
        Assert.Equal(34, run.Events("accepted"));
        Assert.Equal(0, run.Events("rejected"));
        Assert.Equal(0, run.Events("failed"));
        Assert.Equal(34, run.Summary.GetProperty("requests").GetInt64());
        Assert.Equal("original", run.Summary.GetProperty("scenario").GetString());
        Assert.Equal(2 * 6, run.AcceptedOf("purchase_sword"));
        Assert.Equal(2 * 4, run.AcceptedOf("join_guild"));
        Assert.Equal(2 * 3, run.AcceptedOf("slay_dragon"));
        Assert.Equal(2 * 4, run.AcceptedOf("catch_butterfly"));
        Assert.Contains(run.Console.Lines, line => line.Contains("total") && line.Contains("34"));

        var records = SimulatedRecords.Read(kafka.BootstrapServers, _domain, expected: 34);
        Assert.Equal(34, records.Count);
        var byUserAndType = records.GroupBy(e => (e.UserId, e.EventType)).ToDictionary(g => g.Key, g => g.Count());
        var expected = new Dictionary<(string, string), int>
        {
            [($"user1.{_domain}", "purchase_sword")] = 4, [($"user2.{_domain}", "purchase_sword")] = 4, [($"user3.{_domain}", "purchase_sword")] = 4,
            [($"user1.{_domain}", "join_guild")] = 4, [($"user3.{_domain}", "join_guild")] = 4,
            [($"user1.{_domain}", "slay_dragon")] = 2, [($"user2.{_domain}", "slay_dragon")] = 2, [($"user3.{_domain}", "slay_dragon")] = 2,
            [($"user2.{_domain}", "catch_butterfly")] = 4, [($"user3.{_domain}", "catch_butterfly")] = 4,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), byUserAndType.OrderBy(p => p.Key));
        Assert.All(records, e => Assert.Equal(e.UserId, e.Host));
    }

    [Fact]
    public async Task Twenty_two_rounds_give_the_original_answers()
    {
        using var run = await SimulationRun.StartAsync(_address, "--rounds", "22", "--interval", "0", "--domain", _domain);

        Assert.True(run.ExitCode == GameCtl.Ok, run.Console.Output);
        var records = SimulatedRecords.Read(kafka.BootstrapServers, _domain, expected: 22 * 17);
        Assert.Equal(22 * 17, records.Count);

        // The original's queries: count(distinct host) * 100 / 3 from join_guilds, and count(*) / count(distinct host).
        int PerUser(string type) => records.Count(e => e.EventType == type) / records.Where(e => e.EventType == type).Select(e => e.Host).Distinct().Count();
        Assert.Equal(66, records.Where(e => e.EventType == "join_guild").Select(e => e.Host).Distinct().Count() * 100 / 3);
        Assert.Equal(44, PerUser("catch_butterfly"));
        Assert.Equal(22, PerUser("slay_dragon"));
        Assert.Equal(2, PerUser("catch_butterfly") / PerUser("slay_dragon"));
    }

    [Fact]
    public async Task A_batch_run_of_n_events_has_n_accepted_and_in_kafka()
    {
        using var run = await SimulationRun.StartAsync(
            _address, "--events", "2500", "--batch", "100", "--users", "50", "--connections", "4", "--domain", _domain);

        Assert.True(run.ExitCode == GameCtl.Ok, run.Console.Output);
        Assert.Equal("mix", run.Summary.GetProperty("scenario").GetString());
        Assert.Equal(2500, run.Events("sent"));
        Assert.Equal(2500, run.Events("accepted"));
        Assert.Equal(25, run.Summary.GetProperty("requests").GetInt64());
        Assert.Equal(100, run.Summary.GetProperty("settings").GetProperty("batch").GetInt32());

        var records = SimulatedRecords.Read(kafka.BootstrapServers, _domain, expected: 2500);
        Assert.Equal(2500, records.Count);
        Assert.InRange(records.Select(e => e.UserId).Distinct().Count(), 40, 50);

        // The default mix is the original's 6:4:3:4; over 2,500 events each share lands near its weight.
        foreach (var (type, weight) in new[] { ("purchase_sword", 6), ("join_guild", 4), ("slay_dragon", 3), ("catch_butterfly", 4) })
        {
            Assert.InRange(run.SentOf(type), (2500 * weight / 17) - 150, (2500 * weight / 17) + 150);
            Assert.Equal(run.SentOf(type), records.Count(e => e.EventType == type));
        }
    }

    [Fact]
    public async Task Rate_paces_the_run()
    {
        using var run = await SimulationRun.StartAsync(_address, "--events", "300", "--rate", "200", "--users", "10", "--domain", _domain);

        Assert.True(run.ExitCode == GameCtl.Ok, run.Console.Output);
        Assert.Equal(300, run.Events("accepted"));

        // 300 events at 200/s: the last is due at 1.495 s.
        Assert.InRange(run.Summary.GetProperty("elapsed_seconds").GetDouble(), 1.4, 10);
    }

    [Fact]
    public async Task Rejected_events_are_counted_by_status_and_exit_1()
    {
        await using var strict = StartOnKestrel(new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?> { ["Collector:MaxBatchEvents"] = "10" }));

        using var run = await SimulationRun.StartAsync(Address(strict), "--events", "60", "--batch", "20", "--domain", _domain);

        Assert.Equal(Simulator.EventsLost, run.ExitCode);
        Assert.Equal(60, run.Events("rejected"));
        var cause = Assert.Single(run.Summary.GetProperty("causes").EnumerateArray());
        Assert.Equal("HTTP 413", cause.GetProperty("cause").GetString());
        Assert.Equal("rejected", cause.GetProperty("outcome").GetString());
        Assert.Equal(60, cause.GetProperty("events").GetInt64());
        Assert.Contains("at most 10", cause.GetProperty("example").GetString());
        Assert.Contains(run.Console.Lines, line => line.Contains("HTTP 413") && line.Contains("60"));
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_and_prints_the_summary_so_far()
    {
        var console = new TestConsole { EmitAnsiSequences = false };
        using var interrupt = new CancellationTokenSource();
        var settings = new SimulationSettings { Collector = new Uri(_address), Original = true, Interval = TimeSpan.FromSeconds(30), Domain = _domain };

        var running = new Simulator(console, handler: null).RunAsync(settings, interrupt.Token);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        interrupt.Cancel();
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.True(exit == GameCtl.Ok, console.Output);
        Assert.Contains("interrupted (Ctrl+C): the summary so far", console.Output);
        Assert.Contains(console.Lines, line => line.Contains("total") && line.Contains("17"));
    }

    private static CollectorFactory StartOnKestrel(CollectorFactory collector)
    {
        collector.UseKestrel(0);
        collector.StartServer();
        return collector;
    }

    private static string Address(CollectorFactory collector) =>
        collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
