namespace GameAnalytics.Api.Kafka;

public sealed class EventPublisherOptions
{
    public const string SectionName = "Kafka";

    public string Topic { get; set; } = GameAnalytics.Events.Kafka.KafkaTopics.Events;

    /// <summary>How long an event may wait for the broker's acknowledgement before the request answers 503.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// librdkafka settings on top of ours (e.g. <c>Kafka:Producer:linger.ms</c>). Durability settings
    /// (<c>acks=all</c>, idempotence) cannot be weakened here.
    /// </summary>
    public Dictionary<string, string> Producer { get; set; } = [];
}
