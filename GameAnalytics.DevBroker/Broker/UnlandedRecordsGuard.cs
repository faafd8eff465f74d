using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>
/// librdkafka's mock evicts a partition's oldest records once it holds 5 MiB or 100,000 message sets, landed or not.
/// Before the stream processor's unlanded records could reach that, this refuses new records (producers retry, the
/// collector answers 503), and accepts again once the processor has landed half of them. Topics the group has never
/// committed in (no stream processor, as in a collector benchmark) are left alone.
/// </summary>
internal sealed partial class UnlandedRecordsGuard(
    DevBrokerService service,
    IOptions<DevBrokerOptions> options,
    ILogger<UnlandedRecordsGuard> logger) : BackgroundService
{
    /// <summary>A record is at least one message set, so this many records can never reach the mock's 100,000.</summary>
    private const long MaxUnlandedRecords = 60_000;

    private double _bytesPerRecord;
    private long _lastBytes;
    private long _lastRecords;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var guard = options.Value;
        if (guard.GuardInterval <= TimeSpan.Zero || service.Broker is not { } broker)
        {
            return;
        }

        using var lag = new GroupLag(broker.BootstrapServers, guard.DrainGroup, broker.Topics.Keys);
        using var timer = new PeriodicTimer(guard.GuardInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Check(broker, await lag.PartitionsAsync(), guard.HoldLimit);
            }
            catch (KafkaException ex)
            {
                LogOffsetsUnknown(ex.Error.Reason);
            }
        }
    }

    private void Check(DevKafkaBroker broker, IReadOnlyList<PartitionLag> partitions, long holdLimit)
    {
        var accepting = broker.Intake == RecordIntake.Accepting;
        Measure(broker.BytesReceived, partitions.Sum(partition => partition.Latest), accepting);
        // Only topics the group consumes: it has committed in at least one of their partitions.
        var guarded = partitions.GroupBy(partition => partition.Partition.Topic)
            .Where(topic => topic.Any(partition => partition.Committed is not null))
            .SelectMany(topic => topic)
            .ToList();
        if (guarded.Count == 0)
        {
            if (broker.Intake == RecordIntake.Paused)
            {
                broker.ResumeNewRecords();
            }

            return;
        }

        var fullest = guarded.MaxBy(partition => partition.Uncommitted)!;
        var fill = Math.Max(fullest.Uncommitted * _bytesPerRecord / holdLimit, (double)fullest.Uncommitted / MaxUnlandedRecords);
        if (accepting && fill >= 1)
        {
            var reason = $"Refusing new records: {fullest.Partition.Topic} [{fullest.Partition.Partition.Value}] holds {fullest.Uncommitted:N0} records " +
                $"(about {fullest.Uncommitted * _bytesPerRecord / 1024 / 1024:F1} MiB) the stream processor has not landed; " +
                "the broker keeps at most 5 MiB per partition. New records are accepted again as the lake catches up.";
            broker.PauseNewRecords(reason);
            LogPaused(reason);
        }
        else if (broker.Intake == RecordIntake.Paused && fill <= 0.5)
        {
            broker.ResumeNewRecords();
            LogResumed(fullest.Uncommitted);
        }
    }

    /// <summary>
    /// Bytes per record, from what producers sent while records were accepted (refused requests are resent, and would
    /// count twice). It overstates a little, as requests carry headers: on the safe side.
    /// </summary>
    private void Measure(long bytes, long records, bool accepting)
    {
        var newBytes = bytes - _lastBytes;
        var newRecords = records - _lastRecords;
        _lastBytes = bytes;
        _lastRecords = records;
        if (accepting && newRecords > 0)
        {
            var sample = (double)newBytes / newRecords;
            _bytesPerRecord = _bytesPerRecord == 0 ? sample : (0.8 * _bytesPerRecord) + (0.2 * sample);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}")]
    private partial void LogPaused(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepting new records again: the fullest partition holds {Records} unlanded records")]
    private partial void LogResumed(long records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the consumer group's offsets to guard unlanded records: {Reason}")]
    private partial void LogOffsetsUnknown(string reason);
}
