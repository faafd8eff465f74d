using Confluent.Kafka;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>What a retry can outlast: storage and network trouble, not a bug.</summary>
internal static class LandingFaults
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        IOException or UnauthorizedAccessException or HttpRequestException or TimeoutException or TaskCanceledException => true,
        KafkaException kafka => !kafka.Error.IsFatal,
        TransientLandingException => true,
        _ => false,
    };
}

/// <summary>A landing step that could not be done now and should be tried again, e.g. a broker that did not answer.</summary>
internal sealed class TransientLandingException(string message) : Exception(message);
