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

    private readonly StreamingOptions _options = options.Value;
    private readonly LandingTelemetry _telemetry = new(streamingTelemetry, options.Value);
    private readonly Dictionary<int, PartitionBatch> _batches = [];
    private PartitionResume? _resume;
    private bool _faulted;
    private int _buffered;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = KafkaConsumerConfig.Create(configuration, _options);
        using var fingerprints = new RecordFingerprint(config);
        _resume = new PartitionResume(committer, fingerprints, _options, streamingTelemetry, health, logger);
        LogStarting(committer.Location, _options.Topic, _options.GroupId, config.BootstrapServers);

        using var consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler((_, lost) => OnLost(lost))
            .SetErrorHandler((_, error) => LogKafkaError(error.Code, error.Reason))
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
            consumer.Close();
        }
    }

    private void ConsumeOnce(IConsumer<string, byte[]> consumer)
    {
        try
        {
            var result = consumer.Consume(ConsumeTimeout);
            if (result?.Message is not null)
            {
                Add(consumer, result);
            }
        }
        catch (ConsumeException ex) when (ex.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange)
        {
            var partition = ex.ConsumerRecord?.TopicPartition;
            var targets = partition is null ? consumer.Assignment : [partition];
            _resume!.SkipLost(consumer, [.. targets.Select(target => _batches.GetValueOrDefault(target.Partition.Value)).OfType<PartitionBatch>()]);
        }

        FlushDue(consumer);
        _telemetry.ReportLag(consumer, _batches.Values);
    }

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
        if (!batch.Add(result.Offset.Value, parsed, result.Message.Value))
        {
            _telemetry.RecordDuplicate();
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
        var durations = new TimeSpan[batches.Length];

        // Partitions land independently (their own files and commit log), so their I/O overlaps.
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelCommits }, i =>
        {
            var started = Stopwatch.GetTimestamp();
            commits[i] = Commit(batches[i]);
            durations[i] = Stopwatch.GetElapsedTime(started);
        });

        // Offsets and bookkeeping stay on the consume thread.
        for (var i = 0; i < batches.Length; i++)
        {
            var batch = batches[i];
            if (commits[i] is not { } commit)
            {
                // Another instance committed this sequence first: it owns the partition now, until a rebalance says otherwise.
                LogFenced(batch.Partition, batch.NextSequence);
                Drop(batch);
                continue;
            }

            if (_telemetry.RecordLanded(batch, commit, durations[i]) is > 0 and var rejected)
            {
                LogRejected(rejected, batch.Partition, commit.FirstOffset, commit.LastOffset);
            }

            consumer.StoreOffset(new TopicPartitionOffset(_options.Topic, batch.Partition, commit.NextOffset));
            _buffered -= batch.Records.Count;
            batch.Reset(commit.Sequence + 1, commit.NextOffset);
        }
    }

    private CommitRecord? Commit(PartitionBatch batch)
    {
        using var activity = _telemetry.StartCommit(batch);
        var commit = committer.Commit(batch.Partition, batch.NextSequence, batch.FirstOffset, batch.LastOffset, RecordFingerprint.Of(batch.LastValue), batch.Records);
        LandingTelemetry.EndCommit(activity, commit);
        return commit;
    }

    private List<TopicPartitionOffset> OnAssigned(IConsumer<string, byte[]> consumer, List<TopicPartition> partitions)
    {
        var positions = new List<TopicPartitionOffset>();
        foreach (var batch in _resume!.Resume(consumer, partitions))
        {
            _batches[batch.Partition] = batch;
            positions.Add(new TopicPartitionOffset(_options.Topic, batch.Partition, batch.NextOffset));
        }

        return positions;
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
    }

    private void Drop(PartitionBatch batch)
    {
        if (_batches.Remove(batch.Partition))
        {
            _buffered -= batch.Records.Count;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: consumed the {Records} records the broker held beyond this processor's position, in {Seconds:F1} s (still behind: {StillBehind})")]
    private partial void LogCaughtUp(long records, double seconds, bool stillBehind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping without catching up: the broker's end offsets are unknown ({Reason})")]
    private partial void LogCatchUpSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Landing topic {Topic} (group {GroupId}, Kafka {BootstrapServers}) in the lake at {LakeRoot}")]
    private partial void LogStarting(string lakeRoot, string topic, string groupId, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: commit {Sequence} was already made by another instance; dropping this batch and the partition until it is assigned again")]
    private partial void LogFenced(int partition, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = $"{{Count}} records of partition {{Partition}} (offsets {{First}} to {{Last}}) were not valid events and landed in {TableNames.Rejected}")]
    private partial void LogRejected(long count, int partition, long first, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer error {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);
}
