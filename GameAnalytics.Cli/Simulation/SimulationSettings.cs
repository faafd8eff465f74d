namespace GameAnalytics.Cli.Simulation;

/// <summary>A run as the command line asked for it, checked.</summary>
internal sealed record SimulationSettings
{
    public required Uri Collector { get; init; }

    /// <summary>The original's three users on a fixed round, or many users on a weighted mix.</summary>
    public required bool Original { get; init; }

    public int? Rounds { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan? Duration { get; init; }

    public int Users { get; init; } = 3;

    public BehaviourMix Mix { get; init; } = BehaviourMix.Original;

    public double? Rate { get; init; }

    public long? Events { get; init; }

    public int Batch { get; init; } = 1;

    public int Connections { get; init; } = 16;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public string Domain { get; init; } = "datafun.com";

    public ulong Seed { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>With batches: a folder where the client library keeps unsent events, one subfolder per connection; null keeps them in memory.</summary>
    public string? Spool { get; init; }

    /// <summary>The game's write key, sent as <c>Authorization: Bearer</c>; null for a collector that allows keyless requests.</summary>
    public string? WriteKey { get; init; }

    public ITrafficPlan CreatePlan() => Original
        ? new OriginalTrafficPlan(Interval, Rounds)
        : new MixTrafficPlan(Users, Mix, Rate, Events, Batch, Seed);
}
