using GameAnalytics.Cli;
using GameAnalytics.Cli.Simulation;
using Spectre.Console.Testing;

namespace GameAnalytics.Tests.Cli;

/// <summary>The simulator's pure parts: plans, durations, the latency histogram, and option checks.</summary>
public sealed class SimulationUnitTests
{
    [Fact]
    public void The_original_round_is_the_four_apache_bench_loops()
    {
        var plan = new OriginalTrafficPlan(TimeSpan.FromSeconds(10), rounds: 2);
        var events = Enumerable.Range(0, 34).Select(i => plan.EventAt(i)).ToList();

        Assert.Equal(17, OriginalTrafficPlan.EventsPerRound);
        Assert.Equal(events[..17], events[17..]);
        var round = events[..17].GroupBy(e => (e.User, e.Behaviour.EventType)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, round.Count);
        Assert.All([1, 2, 3], user => Assert.Equal(2, round[(user, "purchase_sword")]));
        Assert.All([1, 3], user => Assert.Equal(2, round[(user, "join_guild")]));
        Assert.All([1, 2, 3], user => Assert.Equal(1, round[(user, "slay_dragon")]));
        Assert.All([2, 3], user => Assert.Equal(2, round[(user, "catch_butterfly")]));

        Assert.True(plan.TryGetUnit(16, out var last));
        Assert.Equal(TimeSpan.Zero, last.Due);
        Assert.True(plan.TryGetUnit(17, out var second));
        Assert.Equal(TimeSpan.FromSeconds(10), second.Due);
        Assert.False(plan.TryGetUnit(34, out _));
    }

    [Fact]
    public void The_mix_plan_is_reproducible_batches_its_events_and_schedules_by_rate()
    {
        var plan = new MixTrafficPlan(1000, BehaviourMix.Original, rate: 500, events: 250, batchSize: 100, seed: 7);
        var again = new MixTrafficPlan(1000, BehaviourMix.Original, rate: 500, events: 250, batchSize: 100, seed: 7);

        Assert.Equal(Enumerable.Range(0, 250).Select(i => plan.EventAt(i)), Enumerable.Range(0, 250).Select(i => again.EventAt(i)));
        Assert.All(Enumerable.Range(0, 10_000).Select(i => plan.EventAt(i).User), user => Assert.InRange(user, 1, 1000));
        Assert.True(plan.TryGetUnit(2, out var last));
        Assert.Equal(new TrafficUnit(200, 50, TimeSpan.FromSeconds(0.4)), last);
        Assert.False(plan.TryGetUnit(3, out _));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2.5", 2.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:01:00", 60)]
    public void Durations_read_as_typed(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5 minutes")]
    [InlineData("-3")]
    [InlineData("10x")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void The_histogram_reports_percentiles_within_its_precision()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(100, histogram.Count);
        Assert.InRange(histogram.Percentile(50).TotalMilliseconds, 50, 50 * 1.016);
        Assert.InRange(histogram.Percentile(99).TotalMilliseconds, 99, 99 * 1.016);
        Assert.Equal(TimeSpan.FromMilliseconds(100), histogram.Percentile(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), histogram.Max);
        Assert.Equal(TimeSpan.Zero, new LatencyHistogram().Percentile(50));
    }

    [Fact]
    public void Histogram_buckets_are_contiguous()
    {
        for (long micros = 0; micros < 1_000_000; micros += 7)
        {
            var index = LatencyHistogram.IndexOf(micros);
            Assert.True(micros <= LatencyHistogram.UpperEdge(index), $"{micros} µs above its bucket's edge");
            Assert.True(index == 0 || micros > LatencyHistogram.UpperEdge(index - 1), $"{micros} µs belongs in an earlier bucket");
        }
    }

    [Theory]
    [InlineData("--rounds 2 --users 10", "--rounds belongs to the original scenario")]
    [InlineData("--interval 0 --events 10", "--interval belongs to the original scenario")]
    [InlineData("--batch 1001", "--batch must be 1 to 1000")]
    [InlineData("--rate 0", "--rate must be a number of events per second above 0")]
    [InlineData("--users 0", "--users must be at least 1")]
    [InlineData("--duration soon", "--duration 'soon' is not a duration")]
    [InlineData("--collector localhost:5000", "--collector must be an absolute http(s) URL")]
    public async Task Contradictory_or_bad_options_are_refused(string args, string message)
    {
        var console = new TestConsole { EmitAnsiSequences = false };
        console.Profile.Width = 200;

        var exit = await GameCtl.RunAsync(["simulate", .. args.Split(' ')], console);

        Assert.NotEqual(GameCtl.Ok, exit);
        Assert.Contains(message, console.Output);
    }
}
