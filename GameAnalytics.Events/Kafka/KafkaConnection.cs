using Microsoft.Extensions.Configuration;

namespace GameAnalytics.Events.Kafka;

public static class KafkaConnection
{
    /// <summary>The Kafka bootstrap servers from <c>ConnectionStrings:kafka</c>, or an error that says how to set them.</summary>
    public static string BootstrapServers(IConfiguration configuration, string service)
    {
        var bootstrapServers = configuration.GetConnectionString(KafkaTopics.ConnectionName);
        return string.IsNullOrWhiteSpace(bootstrapServers)
            ? throw new InvalidOperationException(
                $"ConnectionStrings:{KafkaTopics.ConnectionName} is not set. Run the {service} through GameAnalytics.AppHost, " +
                $"or give the Kafka bootstrap servers, e.g. ConnectionStrings__{KafkaTopics.ConnectionName}=127.0.0.1:9092.")
            : bootstrapServers;
    }
}
