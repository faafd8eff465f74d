namespace GameAnalytics.Cli.Simulation;

/// <summary>
/// Many users doing a weighted mix of behaviours at a target rate. Each event's user and behaviour come from a hash
/// of its sequence number and the seed, so a run is reproducible without a shared random generator.
/// </summary>
internal sealed class MixTrafficPlan(int users, BehaviourMix mix, double? rate, long? events, int batchSize, ulong seed) : ITrafficPlan
{
    private const double UnitScale = 1.0 / (1UL << 53);

    public string Scenario => "mix";

    public int BatchSize => batchSize;

    public bool TryGetUnit(long number, out TrafficUnit unit)
    {
        var first = number * batchSize;
        if (first >= events)
        {
            unit = default;
            return false;
        }

        var count = events is { } total ? (int)Math.Min(batchSize, total - first) : batchSize;

        // A schedule rather than a sleep per event: a worker that falls behind sends at once and the average holds.
        var due = rate is { } perSecond ? TimeSpan.FromSeconds(first / perSecond) : TimeSpan.Zero;
        unit = new TrafficUnit(first, count, due);
        return true;
    }

    public SimulatedEvent EventAt(long index)
    {
        var behaviourHash = SplitMix64(seed + (ulong)index);
        var userHash = SplitMix64(behaviourHash);
        var behaviour = mix.Pick((behaviourHash >> 11) * UnitScale);
        return new SimulatedEvent((int)(userHash % (ulong)users) + 1, behaviour);
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
