using GameAnalytics.Contracts;

namespace GameAnalytics.DevBroker.Broker;

public sealed class DevBrokerOptions
{
    public const string SectionName = "DevBroker";

    /// <summary>The loopback port clients bootstrap from; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = DefaultPorts.Kafka;

    /// <summary>Topics created, with their partition counts, before the broker reports ready.</summary>
    public Dictionary<string, int> Topics { get; set; } = new() { ["events"] = 12 };

    /// <summary>The consumer group whose landing a stop waits for: the stream processor's.</summary>
    public string DrainGroup { get; set; } = "game-analytics-streaming";

    /// <summary>
    /// How long a stop may wait for <see cref="DrainGroup"/> to commit every record the broker holds, since they are
    /// lost with it. 0 stops at once.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the records <see cref="DrainGroup"/> has committed are deleted, all but each partition's last. The
    /// broker then holds only what is not landed yet, and its fetches stay fast through long loads. 0 keeps them.
    /// </summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the guard compares what <see cref="DrainGroup"/> has not landed with what the broker can hold, and
    /// refuses new records before it would evict unlanded ones. 0 turns the guard off.
    /// </summary>
    public TimeSpan GuardInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Unlanded bytes per partition at which new records are refused; accepted again at half. librdkafka's mock
    /// evicts at 5 MiB, so this leaves room for what arrives between two checks.
    /// </summary>
    public long HoldLimit { get; set; } = 3 * 1024 * 1024;
}
