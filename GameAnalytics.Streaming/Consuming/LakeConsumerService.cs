using System.Diagnostics;
using Confluent.Kafka;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Consumes the events topic in a consumer group on a dedicated thread and lands each partition's batches
/// in the lake. Offsets are stored in Kafka only after a batch is committed to the lake, and a partition
/// always resumes from the lake's own record of what it landed (<see cref="PartitionResume"/>).
/// </summary>
internal sealed partial class LakeConsumerService(
    IOptions<StreamingOptions> options,
    IConfiguration configuration,
    LakeCommitter committer,
    EventRecordParser parser,
    StreamingTelemetry streamingTelemetry,
    StreamingHealth health,
    ILogger<LakeConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly int MaxParallelCommits = Math.Max(2, Environment.ProcessorCount);
    private static readonly TimeSpan ConsumeFaultPause = TimeSpan.FromSeconds(1);
    private const string KafkaFault = "kafka";

    private readonly StreamingOptions _options = options.Value;
    private readonly LandingTelemetry _telemetry = new(streamingTelemetry, options.Value);
    private readonly Dictionary<int, PartitionBatch> _batches = [];
    private readonly SuspendedPartitions _suspended = new();
    private PartitionResume? _resume;
    private bool _faulted;
    private int _buffered;
    private long _bufferedBytes;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = KafkaConsumerConfig.Create(configuration, _options);
        using var fingerprints = new RecordFingerprint(config);
        _resume = new PartitionResume(committer, fingerprints, _options, streamingTelemetry, health, logger);
        committer.FilesMissing += _resume.ReportMissingFiles;
        LogStarting(committer.Location, _options.Topic, _options.GroupId, config.BootstrapServers);

        using var consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler((_, lost) => OnLost(lost))
            .SetErrorHandler((_, error) => OnKafkaError(error))
            .Build();
        consumer.Subscribe(_options.Topic);
        health.IsRunning = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeOnce(consumer);
            }

            // Shutting down: the dev broker's records exist nowhere else, so land what it held, then what is buffered.
            CatchUp(consumer);
            Flush(consumer, [.. _batches.Values]);
        }
        catch (Exception ex)
        {
            // Closing must not land anything now: recovery on the next start decides what is committed.
            _faulted = true;
            health.ReportFailure(ex.Message);
            throw;
        }
        finally
        {
            health.IsRunning = false;
            committer.FilesMissing -= _resume.ReportMissingFiles;
            consumer.Close();
        }
    }

    private void ConsumeOnce(IConsumer<string, byte[]> consumer)
    {
        RetrySuspended(consumer);
        try
        {
            var result = consumer.Consume(ConsumeTimeout);
            if (result?.Message is not null)
            {
                health.ClearFault(KafkaFault);
                Add(consumer, result);
            }
        }
        catch (ConsumeException ex) when (ex.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange)
        {
            var partition = ex.ConsumerRecord?.TopicPartition;
            var targets = (partition is null ? consumer.Assignment : [partition])
                .Select(target => _batches.GetValueOrDefault(target.Partition.Value)).OfType<PartitionBatch>().ToList();
            try
            {
                _resume!.SkipLost(consumer, targets);
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                foreach (var batch in targets)
                {
                    Suspend(batch.Partition, fault.Message);
                }
            }
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            // A topic that does not exist yet, a broker that is down: librdkafka reconnects, we ask again.
            OnKafkaError(ex.Error);
            Thread.Sleep(ConsumeFaultPause);
        }

        FlushDue(consumer);
        _telemetry.ReportLag(consumer, _batches.Values);
    }

    private void OnKafkaError(Error error)
    {
        LogKafkaError(error.Code, error.Reason);
        health.ReportFault(KafkaFault, $"{error.Code}: {error.Reason}");
        streamingTelemetry.Faults.Add(1, new KeyValuePair<string, object?>("error.type", error.Code.ToString()));
    }

    /// <summary>Stops landing a partition after a fault: its buffer is dropped and it is paused until it resumes from the lake.</summary>
    private void Suspend(int partition, string reason)
    {
        if (_batches.TryGetValue(partition, out var batch))
        {
            Drop(batch);
        }

        var delay = _suspended.Suspend(partition);
        health.ReportFault($"partition {partition}", reason);
        streamingTelemetry.Faults.Add(1, new KeyValuePair<string, object?>("messaging.destination.partition.id", partition.ToString()));
        LogSuspended(partition, reason, delay.TotalSeconds);
    }

    /// <summary>Pauses newly suspended partitions, and resumes those whose delay is over from the lake's position.</summary>
    private void RetrySuspended(IConsumer<string, byte[]> consumer)
    {
        if (_suspended.IsEmpty)
        {
            return;
        }

        var assignment = consumer.Assignment;
        var toPause = _suspended.TakeUnpaused().Select(Partition).Where(assignment.Contains).ToList();
        if (toPause.Count > 0)
        {
            consumer.Pause(toPause);
        }

        foreach (var partition in _suspended.Due())
        {
            var topicPartition = Partition(partition);
            if (!assignment.Contains(topicPartition))
            {
                // Revoked or lost meanwhile: its next owner resumes it.
                _suspended.Remove(partition);
                health.ClearFault($"partition {partition}");
                continue;
            }

            try
            {
                var batch = _resume!.Resume(consumer, [topicPartition]).Single();
                consumer.Seek(new TopicPartitionOffset(topicPartition, batch.NextOffset));
                consumer.Resume([topicPartition]);
                _batches[partition] = batch;
                _suspended.Remove(partition);
                health.ClearFault($"partition {partition}");
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                Suspend(partition, fault.Message);
            }
        }
    }

    private TopicPartition Partition(int partition) => new(_options.Topic, partition);

    /// <summary>Consumes, bounded by <see cref="StreamingOptions.CatchUpOnStop"/>, up to each partition's end as the stop began.</summary>
    private void CatchUp(IConsumer<string, byte[]> consumer)
    {
        if (_options.CatchUpOnStop <= TimeSpan.Zero || _batches.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        Dictionary<int, long> ends;
        try
        {
            ends = _batches.Keys.ToDictionary(partition => partition, partition =>
                consumer.QueryWatermarkOffsets(new TopicPartition(_options.Topic, partition), TimeSpan.FromSeconds(2)).High.Value);
        }
        catch (KafkaException ex)
        {
            LogCatchUpSkipped(ex.Error.Reason);
            return;
        }

        bool Behind() => ends.Any(end => _batches.TryGetValue(end.Key, out var batch) && batch.ExpectedOffset < end.Value);
        var behind = ends.Sum(end => Math.Max(0, end.Value - (_batches.TryGetValue(end.Key, out var batch) ? batch.ExpectedOffset : end.Value)));
        if (behind == 0)
        {
            return;
        }

        while (Behind() && Stopwatch.GetElapsedTime(started) < _options.CatchUpOnStop)
        {
            ConsumeOnce(consumer);
        }

        LogCaughtUp(behind, Stopwatch.GetElapsedTime(started).TotalSeconds, Behind());
    }

    private void Add(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result)
    {
        // Not ours any more, or already consumed before a seek.
        if (!_batches.TryGetValue(result.Partition.Value, out var batch) || result.Offset.Value < batch.ExpectedOffset)
        {
            return;
        }

        var parsed = parser.Parse(result);
        _telemetry.TraceProcessing(batch, result, parsed);
        var added = batch.Add(result.Offset.Value, parsed, result.Message.Value);
        if (added == DedupResult.Duplicate)
        {
            _telemetry.RecordDuplicate();
            return;
        }

        if (added == DedupResult.ReusedForAnotherType)
        {
            _telemetry.RecordReusedEventId();
        }

        _bufferedBytes += result.Message.Value?.Length ?? 0;
        if (_bufferedBytes >= _options.FlushBytes)
        {
            Flush(consumer, _batches.Values.MaxBy(candidate => candidate.Bytes)!);
        }
        else if (++_buffered >= _options.FlushEvents)
        {
            Flush(consumer, _batches.Values.MaxBy(candidate => candidate.Records.Count)!);
        }
    }

    private void FlushDue(IConsumer<string, byte[]> consumer)
    {
        var due = _batches.Values.Where(batch => batch.IsDue(_options.FlushInterval)).ToArray();
        if (due.Length > 0)
        {
            Flush(consumer, due);
        }
    }

    private void Flush(IConsumer<string, byte[]> consumer, params PartitionBatch[] batches)
    {
        batches = batches.Where(batch => !batch.IsEmpty).ToArray();
        var commits = new CommitRecord?[batches.Length];
        var faults = new Exception?[batches.Length];
        var durations = new TimeSpan[batches.Length];

        // Partitions land independently (their own files and commit log), so their I/O overlaps.
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelCommits }, i =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                commits[i] = Commit(batches[i]);
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                faults[i] = fault;
            }

            durations[i] = Stopwatch.GetElapsedTime(started);
        });

        // Offsets and bookkeeping stay on the consume thread.
        for (var i = 0; i < batches.Length; i++)
        {
            var batch = batches[i];
            if (faults[i] is { } fault)
            {
                Suspend(batch.Partition, $"landing offsets {batch.FirstOffset} to {batch.LastOffset} failed: {fault.Message}");
                continue;
            }

            if (commits[i] is not { } commit)
            {
                // Another instance took the partition over (this one stalled past its session, most likely): Kafka will say
                // so shortly; until then the partition resumes from what the lake now holds.
                LogFenced(batch.Partition, batch.NextSequence);
                Suspend(batch.Partition, $"commit {batch.NextSequence} was made by another instance");
                continue;
            }

            if (_telemetry.RecordLanded(batch, commit, durations[i]) is > 0 and var rejected)
            {
                LogRejected(rejected, batch.Partition, commit.FirstOffset, commit.LastOffset);
            }

            consumer.StoreOffset(new TopicPartitionOffset(_options.Topic, batch.Partition, commit.NextOffset));
            _suspended.Landed(batch.Partition);
            Release(batch);
            batch.Reset(commit.Sequence + 1, commit.NextOffset);
        }
    }

    private CommitRecord? Commit(PartitionBatch batch)
    {
        using var activity = _telemetry.StartCommit(batch);
        var commit = committer.Commit(batch.Partition, batch.NextSequence, batch.FirstOffset, batch.LastOffset, RecordFingerprint.Of(batch.LastValue), batch.Records, batch.Epoch);
        LandingTelemetry.EndCommit(activity, commit);
        return commit;
    }

    private List<TopicPartitionOffset> OnAssigned(IConsumer<string, byte[]> consumer, List<TopicPartition> partitions)
    {
        try
        {
            var positions = new List<TopicPartitionOffset>();
            foreach (var batch in _resume!.Resume(consumer, partitions))
            {
                _batches[batch.Partition] = batch;
                positions.Add(new TopicPartitionOffset(_options.Topic, batch.Partition, batch.NextOffset));
            }

            return positions;
        }
        catch (Exception fault) when (LandingFaults.IsTransient(fault))
        {
            // Assigned all the same, but not landed: paused at once and resumed from the lake when the fault clears.
            foreach (var partition in partitions)
            {
                Suspend(partition.Partition.Value, $"resuming failed: {fault.Message}");
            }

            return [.. partitions.Select(partition => new TopicPartitionOffset(partition, Offset.End))];
        }
    }

    private void OnRevoked(IConsumer<string, byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions)
        {
            if (!_batches.TryGetValue(partition.Partition.Value, out var batch))
            {
                continue;
            }

            if (!_faulted)
            {
                // Still ours until this returns: land what is buffered, so the next owner need not read it again.
                Flush(consumer, batch);
            }

            Drop(batch);
        }

        ForgetSuspended(partitions);
    }

    private void ForgetSuspended(IEnumerable<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions)
        {
            _suspended.Remove(partition.Partition.Value);
            _suspended.Landed(partition.Partition.Value);
            health.ClearFault($"partition {partition.Partition.Value}");
        }
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions)
        {
            // No longer ours: another instance may already be landing it, so drop the buffer unwritten.
            if (_batches.TryGetValue(partition.Partition.Value, out var batch))
            {
                Drop(batch);
            }
        }

        ForgetSuspended(partitions);
    }

    private void Drop(PartitionBatch batch)
    {
        if (_batches.Remove(batch.Partition))
        {
            Release(batch);
        }
    }

    private void Release(PartitionBatch batch)
    {
        _buffered -= batch.Records.Count;
        _bufferedBytes -= batch.Bytes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: consumed the {Records} records the broker held beyond this processor's position, in {Seconds:F1} s (still behind: {StillBehind})")]
    private partial void LogCaughtUp(long records, double seconds, bool stillBehind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping without catching up: the broker's end offsets are unknown ({Reason})")]
    private partial void LogCatchUpSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Landing topic {Topic} (group {GroupId}, Kafka {BootstrapServers}) in the lake at {LakeRoot}")]
    private partial void LogStarting(string lakeRoot, string topic, string groupId, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: commit {Sequence} was already made by another instance; dropping this batch and resuming from the lake")]
    private partial void LogFenced(int partition, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = $"{{Count}} records of partition {{Partition}} (offsets {{First}} to {{Last}}) were not valid events and landed in {TableNames.Rejected}")]
    private partial void LogRejected(long count, int partition, long first, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} suspended: {Reason}. Resuming from the lake's position in {Seconds:F1} s")]
    private partial void LogSuspended(int partition, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer error {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);
}
