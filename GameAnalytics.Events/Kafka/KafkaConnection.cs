using System.Data.Common;
using Microsoft.Extensions.Configuration;

namespace GameAnalytics.Events.Kafka;

/// <summary>
/// Reads <c>ConnectionStrings:kafka</c>: either bootstrap servers (<c>127.0.0.1:9092</c>) or librdkafka settings
/// as <c>key=value</c> pairs, for a managed Kafka that needs more than an address, for example Event Hubs:
/// <c>bootstrap.servers=NS.servicebus.windows.net:9093;security.protocol=SASL_SSL;sasl.mechanism=PLAIN;sasl.username=$ConnectionString;sasl.password="Endpoint=..."</c>.
/// </summary>
public static class KafkaConnection
{
    public static Dictionary<string, string> ClientSettings(IConfiguration configuration, string service)
    {
        var connectionString = configuration.GetConnectionString(KafkaTopics.ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{KafkaTopics.ConnectionName} is not set. Run the {service} through GameAnalytics.AppHost, " +
                $"or give the Kafka bootstrap servers, e.g. ConnectionStrings__{KafkaTopics.ConnectionName}=127.0.0.1:9092.");
        }

        if (!connectionString.Contains('=', StringComparison.Ordinal))
        {
            return new() { ["bootstrap.servers"] = connectionString };
        }

        var pairs = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var settings = pairs.Keys.Cast<string>().ToDictionary(key => key, key => Convert.ToString(pairs[key], System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return settings.ContainsKey("bootstrap.servers")
            ? settings
            : throw new InvalidOperationException($"ConnectionStrings:{KafkaTopics.ConnectionName} has settings but no bootstrap.servers.");
    }
}
