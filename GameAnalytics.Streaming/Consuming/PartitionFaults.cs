using System.Diagnostics;
using Confluent.Kafka;
using GameAnalytics.Streaming.Diagnostics;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Faults that pass: a partition whose landing failed is suspended (its batch dropped, paused in Kafka, see
/// <see cref="SuspendedPartitions"/>) and resumed from the lake's position after a backoff; Kafka's own errors are
/// waited out. Each is logged, counted and shown in /health until it is over.
/// </summary>
internal sealed partial class PartitionFaults(PartitionBatches batches, StreamingHealth health, StreamingTelemetry telemetry, ILogger logger)
{
    private const string KafkaFault = "kafka";

    // A Kafka fault is over once librdkafka has reported none for this long, also on a topic with nothing to consume.
    private static readonly TimeSpan KafkaFaultClearsAfter = TimeSpan.FromSeconds(15);

    private readonly SuspendedPartitions _suspended = new();
    // librdkafka keeps a partition paused across a rebalance: those paused here, to resume when assigned again.
    private readonly HashSet<int> _pausedInKafka = [];
    private readonly List<TopicPartition> _toResume = [];
    private long? _lastKafkaError;

    public void Suspend(int partition, string reason)
    {
        batches.Drop(partition);
        var delay = _suspended.Suspend(partition);
        health.ReportFault(Key(partition), reason);
        telemetry.Faults.Add(1, new KeyValuePair<string, object?>("messaging.destination.partition.id", partition.ToString()));
        LogSuspended(partition, reason, delay.TotalSeconds);
    }

    /// <summary>Pauses suspended partitions not paused yet, and resumes those whose delay is over from the lake's position.</summary>
    public void RetryDue(IConsumer<Ignore, byte[]> consumer, PartitionResume resume, string topic)
    {
        if (_toResume.Count > 0)
        {
            var assigned = consumer.Assignment;
            consumer.Resume([.. _toResume.Where(assigned.Contains)]);
            _toResume.Clear();
        }

        if (_suspended.IsEmpty)
        {
            return;
        }

        var assignment = consumer.Assignment;
        if (_suspended.Partitions.Where(partition => !_pausedInKafka.Contains(partition))
                .Select(partition => new TopicPartition(topic, partition)).Where(assignment.Contains).ToList() is { Count: > 0 } toPause)
        {
            consumer.Pause(toPause);
            _pausedInKafka.UnionWith(toPause.Select(partition => partition.Partition.Value));
        }

        foreach (var partition in _suspended.Due())
        {
            var topicPartition = new TopicPartition(topic, partition);
            if (!assignment.Contains(topicPartition))
            {
                Forget(partition);
                continue;
            }

            try
            {
                var batch = resume.Resume(consumer, [topicPartition]).Single();
                consumer.Seek(new TopicPartitionOffset(topicPartition, batch.NextOffset));
                consumer.Resume([topicPartition]);
                _pausedInKafka.Remove(partition);
                batches.Set(batch);
                _suspended.Remove(partition);
                health.ClearFault(Key(partition));
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                Suspend(partition, fault.Message);
            }
        }
    }

    /// <summary>
    /// Newly assigned and landing: a partition this instance paused before it was revoked is resumed on the next loop,
    /// once the assignment is in place (Kafka would otherwise never fetch it again).
    /// </summary>
    public void Assigned(IEnumerable<TopicPartition> partitions) =>
        _toResume.AddRange(partitions.Where(partition => _pausedInKafka.Remove(partition.Partition.Value)));

    /// <summary>Revoked or lost: its faults are its next owner's now.</summary>
    public void Forget(int partition)
    {
        _suspended.Remove(partition);
        _suspended.Landed(partition);
        health.ClearFault(Key(partition));
    }

    /// <inheritdoc cref="SuspendedPartitions.Landed"/>
    public void Landed(int partition) => _suspended.Landed(partition);

    public void OnKafkaError(Error error)
    {
        _lastKafkaError = Stopwatch.GetTimestamp();
        LogKafkaError(error.Code, error.Reason);
        health.ReportFault(KafkaFault, $"{error.Code}: {error.Reason}");
        telemetry.Faults.Add(1, new KeyValuePair<string, object?>("error.type", error.Code.ToString()));
    }

    /// <summary>After each consume: a record, or a quiet spell, ends a Kafka fault.</summary>
    public void OnConsumed(bool gotRecord)
    {
        if (_lastKafkaError is { } last && (gotRecord || Stopwatch.GetElapsedTime(last) > KafkaFaultClearsAfter))
        {
            health.ClearFault(KafkaFault);
            _lastKafkaError = null;
        }
    }

    private static string Key(int partition) => $"partition {partition}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} suspended: {Reason}. Resuming from the lake's position in {Seconds:F1} s")]
    private partial void LogSuspended(int partition, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer error {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);
}
