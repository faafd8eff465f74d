using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Kafka;

/// <summary>Ready when the broker answers metadata for the events topic.</summary>
internal sealed class KafkaHealthCheck(IProducer<string, byte[]> producer, IOptions<EventPublisherOptions> options) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // Shares the producer's connections rather than opening its own.
    private readonly IAdminClient _admin = new DependentAdminClientBuilder(producer.Handle).Build();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var topic = options.Value.Topic;
        try
        {
            var metadata = await Task.Run(() => _admin.GetMetadata(topic, Timeout), cancellationToken);
            var topicMetadata = metadata.Topics.SingleOrDefault(t => t.Topic == topic);
            return topicMetadata is { Error.IsError: false }
                ? HealthCheckResult.Healthy($"Topic '{topic}' has {topicMetadata.Partitions.Count} partitions on {metadata.Brokers.Count} broker(s).")
                : HealthCheckResult.Unhealthy($"Topic '{topic}' is not available: {topicMetadata?.Error.Reason ?? "not in metadata"}.");
        }
        catch (KafkaException ex)
        {
            return HealthCheckResult.Unhealthy($"Kafka did not answer within {Timeout.TotalSeconds} s: {ex.Error.Reason}", ex);
        }
    }

    public void Dispose() => _admin.Dispose();
}
