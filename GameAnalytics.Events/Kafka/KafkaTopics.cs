namespace GameAnalytics.Events.Kafka;

public static class KafkaTopics
{
    /// <summary>The topic every game event goes through, as in the original design.</summary>
    public const string Events = "events";

    /// <summary>The connection string name every service reads (<c>ConnectionStrings:kafka</c>): the bootstrap servers.</summary>
    public const string ConnectionName = "kafka";
}
