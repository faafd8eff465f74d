using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>
/// Deletes the records the stream processor has committed, as retention would. Each partition keeps its last committed
/// record: a restarted processor reads it back to tell that the broker is still the one it landed from.
/// </summary>
internal sealed partial class LandedRecordsTrimmer(
    DevBrokerService service,
    IOptions<DevBrokerOptions> options,
    ILogger<LandedRecordsTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trim = options.Value;
        if (trim.TrimInterval <= TimeSpan.Zero || service.Broker is not { } broker)
        {
            return;
        }

        using var lag = new GroupLag(broker.BootstrapServers, trim.DrainGroup, broker.Topics.Keys);
        using var timer = new PeriodicTimer(trim.TrimInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var partition in await lag.PartitionsAsync())
                {
                    if (partition.Committed is { } committed && committed - 1 > partition.Earliest)
                    {
                        broker.DeleteRecordsBefore(partition.Partition.Topic, partition.Partition.Partition.Value, committed - 1);
                    }
                }
            }
            catch (KafkaException ex)
            {
                LogOffsetsUnknown(ex.Error.Reason);
            }
            catch (InvalidOperationException ex)
            {
                // The next tick tries again; landing does not depend on it.
                LogNotTrimmed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the consumer group's offsets to delete what it landed: {Reason}")]
    private partial void LogOffsetsUnknown(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}")]
    private partial void LogNotTrimmed(string reason);
}
