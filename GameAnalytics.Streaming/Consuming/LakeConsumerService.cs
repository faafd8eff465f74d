using System.Diagnostics;
using Confluent.Kafka;
using GameAnalytics.Events.Kafka;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Lake;
using GameAnalytics.Streaming.Routing;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Consumes the events topic in a consumer group on a dedicated thread and lands each partition's batches
/// in the lake. Offsets are stored in Kafka only after a batch is committed to the lake, and a partition
/// always resumes from the lake's own record of what it landed.
/// </summary>
internal sealed partial class LakeConsumerService(
    IOptions<StreamingOptions> options,
    IConfiguration configuration,
    LakeCommitter committer,
    EventRecordParser parser,
    StreamingTelemetry telemetry,
    StreamingHealth health,
    ILogger<LakeConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private static readonly int MaxParallelCommits = Math.Max(2, Environment.ProcessorCount);

    private readonly StreamingOptions _options = options.Value;
    private readonly Dictionary<int, PartitionBatch> _batches = [];
    private RecordFingerprint? _fingerprints;
    private bool _faulted;
    private int _buffered;
    private long _lagReportedAt;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = KafkaConsumerConfig.Create(configuration, _options);
        using var fingerprints = _fingerprints = new RecordFingerprint(config);
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
            RecoverFromOutOfRange(consumer, ex);
        }

        FlushDue(consumer);
        ReportLag(consumer);
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
        TraceProcessing(batch, result, parsed);
        if (!batch.Add(result.Offset.Value, parsed, result.Message.Value))
        {
            telemetry.Duplicates.Add(1);
        }
        else if (++_buffered >= _options.FlushEvents)
        {
            Flush(consumer, _batches.Values.MaxBy(candidate => candidate.Records.Count)!);
        }
    }

    /// <summary>A processing span per run of records from one trace, as a child of the producer's span.</summary>
    private void TraceProcessing(PartitionBatch batch, ConsumeResult<string, byte[]> result, ParsedRecord parsed)
    {
        // Records of one request share their trace context: compare the raw header before parsing it.
        result.Message.Headers.TryGetLastBytes("traceparent", out var traceparent);
        if (traceparent is not null && batch.LastTraceparent is not null && traceparent.AsSpan().SequenceEqual(batch.LastTraceparent))
        {
            return;
        }

        batch.LastTraceparent = traceparent;
        // Sampling is parent-based: a request that was not traced has no spans here either.
        if (traceparent is not null && KafkaTracePropagation.IsUnsampled(traceparent))
        {
            return;
        }

        var parent = KafkaTracePropagation.Extract(result.Message.Headers).ActivityContext;
        using var activity = telemetry.Source.StartActivity($"process {_options.Topic}", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.destination.name", _options.Topic);
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag("messaging.consumer.group.name", _options.GroupId);
        activity.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
        activity.SetTag("messaging.kafka.offset", result.Offset.Value);
        activity.SetTag("gameanalytics.table", parsed.Table);
        if (parsed.Rejected is { } rejected)
        {
            activity.SetStatus(ActivityStatusCode.Error, rejected.Reason);
        }

        batch.Link(activity.Context);
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

            Record(batch, commit, durations[i]);
            consumer.StoreOffset(new TopicPartitionOffset(_options.Topic, batch.Partition, commit.NextOffset));
            _buffered -= batch.Records.Count;
            batch.Reset(commit.Sequence + 1, commit.NextOffset);
        }
    }

    /// <summary>Lands one batch in the lake, in a "lake commit" span linked to the processing of its events.</summary>
    private CommitRecord? Commit(PartitionBatch batch)
    {
        using var activity = telemetry.Source.StartActivity(
            ActivityKind.Internal,
            parentContext: batch.Links.Count > 0 ? batch.Links[0].Context : default,
            links: batch.Links,
            name: "lake commit");
        activity?.SetTag("messaging.destination.partition.id", batch.Partition.ToString());
        activity?.SetTag("gameanalytics.commit.sequence", batch.NextSequence);
        activity?.SetTag("gameanalytics.commit.first_offset", batch.FirstOffset);
        activity?.SetTag("gameanalytics.commit.last_offset", batch.LastOffset);
        activity?.SetTag("messaging.batch.message_count", batch.Records.Count);

        var commit = committer.Commit(batch.Partition, batch.NextSequence, batch.FirstOffset, batch.LastOffset, RecordFingerprint.Of(batch.LastValue), batch.Records);
        if (commit is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "fenced by another instance");
        }
        else
        {
            activity?.SetTag("gameanalytics.commit.files", commit.Files.Count);
        }

        return commit;
    }

    private void Record(PartitionBatch batch, CommitRecord commit, TimeSpan duration)
    {
        var now = commit.CommittedAt.UtcDateTime;
        long landed = 0, rejected = 0;
        foreach (var record in batch.Records)
        {
            if (record.Event is { } landedEvent)
            {
                landed++;
                telemetry.Freshness.Record((now - landedEvent.ReceivedAt).TotalSeconds);
            }
            else
            {
                rejected++;
            }
        }

        telemetry.Landed.Add(landed);
        telemetry.Rejected.Add(rejected);
        telemetry.FilesWritten.Add(commit.Files.Count);
        telemetry.BatchSize.Record(batch.Records.Count);
        telemetry.BatchDuration.Record(duration.TotalSeconds);
        if (rejected > 0)
        {
            LogRejected(rejected, batch.Partition, commit.FirstOffset, commit.LastOffset);
        }
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<string, byte[]> consumer, List<TopicPartition> partitions)
    {
        var positions = new List<TopicPartitionOffset>();
        var recovered = committer.Recover([.. partitions.Select(partition => partition.Partition.Value)]);
        foreach (var partition in partitions)
        {
            var latest = recovered[partition.Partition.Value];
            var start = StartOffset(consumer, partition, latest);
            _batches[partition.Partition.Value] = new PartitionBatch(
                partition.Partition.Value, latest is null ? 0 : latest.Sequence + 1, start, RecentEventIds(partition.Partition.Value));
            positions.Add(new TopicPartitionOffset(partition, start));
            LogAssigned(partition.Partition.Value, start, latest?.Sequence ?? -1);
        }

        return positions;
    }

    /// <summary>Rebuilds a partition's retry window from what it landed last, newest first.</summary>
    private DedupWindow RecentEventIds(int partition)
    {
        var window = new DedupWindow(_options.DedupWindow);
        foreach (var id in committer.RecentEventIds(partition, _options.DedupWindow).Reverse())
        {
            if (Guid.TryParse(id, out var eventId))
            {
                window.TryAdd(eventId);
            }
        }

        return window;
    }

    /// <summary>Where a partition resumes: after what the lake landed, unless Kafka says that cannot be right.</summary>
    private long StartOffset(IConsumer<string, byte[]> consumer, TopicPartition partition, CommitRecord? latest)
    {
        var watermarks = consumer.QueryWatermarkOffsets(partition, BrokerTimeout);
        if (latest is null)
        {
            if (watermarks.Low > 0)
            {
                LogStartsLate(partition.Partition.Value, watermarks.Low);
            }

            return watermarks.Low;
        }

        if (latest.NextOffset < watermarks.Low)
        {
            ReportLoss(partition.Partition.Value, latest.NextOffset, watermarks.Low);
            return watermarks.Low;
        }

        // The lake's last record must still be where it landed from; otherwise these are a new broker's or topic's offsets.
        if (latest.NextOffset > watermarks.High
            || !_fingerprints!.Matches(partition, latest.LastOffset, latest.LastRecordFingerprint))
        {
            LogNewLog(partition.Partition.Value, latest.LastOffset, watermarks.High, watermarks.Low);
            return watermarks.Low;
        }

        return latest.NextOffset;
    }

    private void RecoverFromOutOfRange(IConsumer<string, byte[]> consumer, ConsumeException ex)
    {
        var partition = ex.ConsumerRecord?.TopicPartition;
        var targets = partition is null ? consumer.Assignment : [partition];
        foreach (var target in targets)
        {
            if (!_batches.TryGetValue(target.Partition.Value, out var batch))
            {
                continue;
            }

            var watermarks = consumer.QueryWatermarkOffsets(target, BrokerTimeout);
            if (batch.ExpectedOffset < watermarks.Low)
            {
                ReportLoss(target.Partition.Value, batch.ExpectedOffset, watermarks.Low);
                consumer.Seek(new TopicPartitionOffset(target, watermarks.Low));
            }
        }
    }

    private void ReportLoss(int partition, long from, long to)
    {
        LogLostOffsets(partition, from, to - 1, to - from);
        telemetry.LostOffsets.Add(to - from, new KeyValuePair<string, object?>("messaging.destination.partition.id", partition.ToString()));
        health.ReportLoss($"partition {partition} offsets {from} to {to - 1}");
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

    private void ReportLag(IConsumer<string, byte[]> consumer)
    {
        if (Stopwatch.GetElapsedTime(_lagReportedAt) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lagReportedAt = Stopwatch.GetTimestamp();
        var lag = new Dictionary<int, long>();
        foreach (var batch in _batches.Values.ToArray())
        {
            var high = consumer.GetWatermarkOffsets(new TopicPartition(_options.Topic, batch.Partition)).High;
            if (high != Offset.Unset)
            {
                lag[batch.Partition] = Math.Max(0, high.Value - batch.NextOffset);
            }
        }

        telemetry.ReportLag(lag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: consumed the {Records} records the broker held beyond this processor's position, in {Seconds:F1} s (still behind: {StillBehind})")]
    private partial void LogCaughtUp(long records, double seconds, bool stillBehind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping without catching up: the broker's end offsets are unknown ({Reason})")]
    private partial void LogCatchUpSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Landing topic {Topic} (group {GroupId}, Kafka {BootstrapServers}) in the lake at {LakeRoot}")]
    private partial void LogStarting(string lakeRoot, string topic, string groupId, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} assigned: resuming at offset {Offset} after lake commit {Sequence}")]
    private partial void LogAssigned(int partition, long offset, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: the lake has nothing of it yet and Kafka starts at offset {Low}: records before it, if any, were never landed")]
    private partial void LogStartsLate(int partition, long low);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: Kafka no longer holds at offset {LastOffset} the record the lake landed from there (its log now ends at {High}): a new broker or topic. Landing all its records from offset {Offset}")]
    private partial void LogNewLog(int partition, long lastOffset, long high, long offset);

    [LoggerMessage(Level = LogLevel.Error, Message = "DATA LOST: partition {Partition} offsets {From} to {To} ({Count} records) are no longer in Kafka and were never landed")]
    private partial void LogLostOffsets(int partition, long from, long to, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: commit {Sequence} was already made by another instance; dropping this batch and the partition until it is assigned again")]
    private partial void LogFenced(int partition, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} records of partition {Partition} (offsets {First} to {Last}) were not valid events and landed in rejected_events")]
    private partial void LogRejected(long count, int partition, long first, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer error {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);
}
