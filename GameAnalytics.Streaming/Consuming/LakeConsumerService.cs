using System.Diagnostics;
using Confluent.Kafka;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Consumes the events topic in a consumer group on a dedicated thread and lands each partition's batches
/// in the lake. Offsets are stored in Kafka only after a batch is committed to the lake, and a partition
/// always resumes from the lake's own record of what it landed (<see cref="PartitionResume"/>). A fault that
/// passes suspends only its partition (<see cref="PartitionFaults"/>), which then resumes from the lake.
/// </summary>
internal sealed partial class LakeConsumerService(
    IOptions<StreamingOptions> options,
    IConfiguration configuration,
    LakeCommitter committer,
    EventRecordReader reader,
    EventRecordParser parser,
    TableRouter router,
    StreamingTelemetry streamingTelemetry,
    StreamingHealth health,
    ILogger<LakeConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConsumeFaultPause = TimeSpan.FromSeconds(1);

    private readonly StreamingOptions _options = options.Value;
    private readonly LandingTelemetry _telemetry = new(streamingTelemetry, options.Value);
    private readonly PartitionBatches _batches = new(options.Value);
    private PartitionFaults? _faults;
    private ParallelLanding? _landing;
    private PartitionResume? _resume;
    private bool _faulted;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = KafkaConsumerConfig.Create(configuration, _options);
        using var fingerprints = new RecordFingerprint(config);
        _resume = new PartitionResume(committer, fingerprints, _options, streamingTelemetry, health, logger);
        _landing = new ParallelLanding(committer, new BatchParser(reader, parser, _telemetry), _telemetry, router.Tables);
        _faults = new PartitionFaults(_batches, health, streamingTelemetry, logger);
        committer.FilesMissing += _resume.ReportMissingFiles;
        LogStarting(committer.Location, _options.Topic, _options.GroupId, config.BootstrapServers);

        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config)
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler((_, lost) => OnLost(lost))
            .SetErrorHandler((_, error) => Faults.OnKafkaError(error))
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
            Flush(consumer, [.. _batches.All]);
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

    private void ConsumeOnce(IConsumer<Ignore, byte[]> consumer)
    {
        Faults.RetryDue(consumer, _resume!, _options.Topic);
        try
        {
            var result = consumer.Consume(ConsumeTimeout);
            Faults.OnConsumed(gotRecord: result?.Message is not null);
            if (result?.Message is not null)
            {
                Add(consumer, result);
            }
        }
        catch (ConsumeException ex) when (ex.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange)
        {
            var partition = ex.ConsumerRecord?.TopicPartition;
            var targets = (partition is null ? consumer.Assignment : [partition])
                .Select(target => _batches.Get(target.Partition.Value)).OfType<PartitionBatch>().ToList();
            try
            {
                _resume!.SkipLost(consumer, targets);
            }
            catch (Exception fault) when (LandingFaults.IsTransient(fault))
            {
                targets.ForEach(batch => Faults.Suspend(batch.Partition, fault.Message));
            }
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            // A topic that does not exist yet, a broker that is down: librdkafka reconnects, we ask again.
            Faults.OnKafkaError(ex.Error);
            Thread.Sleep(ConsumeFaultPause);
        }

        if (_batches.Due() is { Length: > 0 } due)
        {
            Flush(consumer, due);
        }

        _telemetry.ReportLag(consumer, _batches.All);
    }

    private PartitionFaults Faults => _faults ?? throw new InvalidOperationException("The consume loop has not started.");

    private TopicPartition Partition(int partition) => new(_options.Topic, partition);

    /// <summary>Consumes, bounded by <see cref="StreamingOptions.CatchUpOnStop"/>, up to each partition's end as the stop began.</summary>
    private void CatchUp(IConsumer<Ignore, byte[]> consumer)
    {
        if (_options.CatchUpOnStop <= TimeSpan.Zero || _batches.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        Dictionary<int, long> ends;
        try
        {
            ends = _batches.Partitions.ToDictionary(partition => partition, partition =>
                consumer.QueryWatermarkOffsets(Partition(partition), TimeSpan.FromSeconds(2)).High.Value);
        }
        catch (KafkaException ex)
        {
            LogCatchUpSkipped(ex.Error.Reason);
            return;
        }

        long BehindBy(KeyValuePair<int, long> end) => _batches.Get(end.Key) is { } batch ? Math.Max(0, end.Value - batch.ExpectedOffset) : 0;
        var behind = ends.Sum(BehindBy);
        if (behind == 0)
        {
            return;
        }

        while (ends.Any(end => BehindBy(end) > 0) && Stopwatch.GetElapsedTime(started) < _options.CatchUpOnStop)
        {
            ConsumeOnce(consumer);
        }

        LogCaughtUp(behind, Stopwatch.GetElapsedTime(started).TotalSeconds, ends.Any(end => BehindBy(end) > 0));
    }

    private void Add(IConsumer<Ignore, byte[]> consumer, ConsumeResult<Ignore, byte[]> result)
    {
        // Not ours any more, or already consumed before a seek.
        if (_batches.Get(result.Partition.Value) is not { } batch || result.Offset.Value < batch.ExpectedOffset)
        {
            return;
        }

        var full = _batches.Add(batch, result.Offset.Value, result.Message.Timestamp.UnixTimestampMs, result.Message.Value);
        LandingTelemetry.NoteTrace(batch, result);
        if (full is not null)
        {
            Flush(consumer, full);
        }
    }

    private void Flush(IConsumer<Ignore, byte[]> consumer, params PartitionBatch[] batches)
    {
        batches = [.. batches.Where(batch => !batch.IsEmpty)];
        var outcomes = _landing!.Land(batches);

        // Offsets and bookkeeping stay on the consume thread.
        for (var i = 0; i < batches.Length; i++)
        {
            var (batch, outcome) = (batches[i], outcomes[i]);
            if (outcome.Fault is { } fault)
            {
                Faults.Suspend(batch.Partition, $"landing offsets {batch.FirstOffset} to {batch.LastOffset} failed: {fault.Message}");
            }
            else if (outcome.Commit is not { } commit)
            {
                // Another instance took the partition over (this one stalled past its session, most likely): Kafka will say
                // so shortly; until then the partition resumes from what the lake now holds.
                LogFenced(batch.Partition, batch.NextSequence);
                Faults.Suspend(batch.Partition, $"commit {batch.NextSequence} was made by another instance");
            }
            else
            {
                if (outcome.Rejected > 0)
                {
                    LogRejected(outcome.Rejected, batch.Partition, commit.FirstOffset, commit.LastOffset);
                }

                consumer.StoreOffset(new TopicPartitionOffset(_options.Topic, batch.Partition, commit.NextOffset));
                Faults.Landed(batch.Partition);
                _batches.Landed(batch, commit);
            }
        }
    }

    private List<TopicPartitionOffset> OnAssigned(IConsumer<Ignore, byte[]> consumer, List<TopicPartition> partitions)
    {
        try
        {
            var batches = _resume!.Resume(consumer, partitions);
            foreach (var batch in batches)
            {
                _batches.Set(batch);
            }

            Faults.Assigned(partitions);
            return [.. batches.Select(batch => new TopicPartitionOffset(Partition(batch.Partition), batch.NextOffset))];
        }
        catch (Exception fault) when (LandingFaults.IsTransient(fault))
        {
            // Assigned all the same, but not landed: paused at once and resumed from the lake when the fault clears.
            partitions.ForEach(partition => Faults.Suspend(partition.Partition.Value, $"resuming failed: {fault.Message}"));
            return [.. partitions.Select(partition => new TopicPartitionOffset(partition, Offset.End))];
        }
    }

    private void OnRevoked(IConsumer<Ignore, byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions.Select(partition => partition.Partition.Value))
        {
            // Still ours until this returns: land what is buffered, so the next owner need not read it again.
            if (!_faulted && _batches.Get(partition) is { } batch)
            {
                Flush(consumer, batch);
            }

            _batches.Drop(partition);
            Faults.Forget(partition);
        }
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        // No longer ours: another instance may already be landing them, so the buffers go unwritten.
        foreach (var partition in partitions.Select(partition => partition.Partition.Value))
        {
            _batches.Drop(partition);
            Faults.Forget(partition);
        }
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
    private partial void LogRejected(int count, int partition, long first, long last);
}
