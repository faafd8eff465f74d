namespace GameAnalytics.DevBroker.Broker;

public enum RecordIntake
{
    Accepting,

    /// <summary>Refused until the stream processor has landed enough of what the broker holds.</summary>
    Paused,

    /// <summary>Refused for good: the broker is stopping.</summary>
    Stopping,
}
