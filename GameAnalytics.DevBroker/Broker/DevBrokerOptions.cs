namespace GameAnalytics.DevBroker.Broker;

public sealed class DevBrokerOptions
{
    public const string SectionName = "DevBroker";

    /// <summary>The loopback port clients bootstrap from; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 9092;

    /// <summary>Topics created, with their partition counts, before the broker reports ready.</summary>
    public Dictionary<string, int> Topics { get; set; } = new() { ["events"] = 12 };
}
