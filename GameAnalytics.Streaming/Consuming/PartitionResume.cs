using Confluent.Kafka;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Where an assigned partition resumes. The lake's commit log, not Kafka's committed offset, decides: after what the
/// lake landed, unless Kafka says that cannot be right (offsets it no longer has, or a new broker or topic).
/// </summary>
internal sealed partial class PartitionResume(
    LakeCommitter committer,
    RecordFingerprint fingerprints,
    StreamingOptions options,
    StreamingTelemetry telemetry,
    StreamingHealth health,
    ILogger logger)
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Finishes the partitions' last commits, takes them over, and starts a batch for each at its resume offset.</summary>
    public IReadOnlyList<PartitionBatch> Resume(IConsumer<Ignore, byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        var recovered = committer.Recover([.. partitions.Select(partition => partition.Partition.Value)]);
        var batches = new List<PartitionBatch>(partitions.Count);
        foreach (var partition in partitions)
        {
            var takeover = recovered[partition.Partition.Value];
            var start = StartOffset(consumer, partition, takeover.HasLanded ? takeover : null);
            batches.Add(new PartitionBatch(partition.Partition.Value, takeover.Sequence + 1, takeover.Epoch, start, RecentEventIds(partition.Partition.Value)));
            LogAssigned(partition.Partition.Value, start, takeover.Sequence);
        }

        return batches;
    }

    /// <summary>
    /// After Kafka said a position is out of range: moves each partition that is behind the log's start to that start,
    /// reporting the skipped offsets as lost.
    /// </summary>
    public void SkipLost(IConsumer<Ignore, byte[]> consumer, IEnumerable<PartitionBatch> behind)
    {
        foreach (var batch in behind)
        {
            var partition = new TopicPartition(options.Topic, batch.Partition);
            // Revoked meanwhile: its next owner resumes it from the lake.
            if (!consumer.Assignment.Contains(partition))
            {
                continue;
            }

            var watermarks = consumer.QueryWatermarkOffsets(partition, BrokerTimeout);
            if (batch.ExpectedOffset < watermarks.Low)
            {
                ReportLoss(batch.Partition, batch.ExpectedOffset, watermarks.Low);
                consumer.Seek(new TopicPartitionOffset(partition, watermarks.Low));
            }
        }
    }

    /// <summary>Rebuilds a partition's retry window from what it landed last, newest first.</summary>
    private DedupWindow RecentEventIds(int partition)
    {
        var window = new DedupWindow(options.DedupWindow);
        foreach (var landed in committer.RecentEvents(partition, options.DedupWindow).Reverse())
        {
            if (Guid.TryParse(landed.EventId, out var eventId))
            {
                window.TryAdd(eventId, landed.UserId, landed.EventType);
            }
        }

        return window;
    }

    /// <param name="latest">What the lake landed last of the partition; null when nothing yet.</param>
    private long StartOffset(IConsumer<Ignore, byte[]> consumer, TopicPartition partition, CommitRecord? latest)
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
        var same = latest.NextOffset > watermarks.High ? false : fingerprints.Matches(partition, latest.LastOffset, latest.LastRecordFingerprint);
        if (same is null)
        {
            throw new TransientLandingException($"Kafka did not return the record at offset {latest.LastOffset} of partition {partition.Partition.Value}, which tells whether it is the log the lake landed from");
        }

        if (same == false)
        {
            LogNewLog(partition.Partition.Value, latest.LastOffset, watermarks.High, watermarks.Low);
            return watermarks.Low;
        }

        return latest.NextOffset;
    }

    /// <summary>A commit whose files are gone (deleted by hand, or by a bug): its offsets are in no file.</summary>
    public void ReportMissingFiles(CommitRecord commit, IReadOnlyList<string> files)
    {
        LogMissingFiles(commit.Partition, commit.Sequence, commit.FirstOffset, commit.LastOffset, string.Join(", ", files));
        telemetry.LostOffsets.Add(commit.LastOffset - commit.FirstOffset + 1, new KeyValuePair<string, object?>("messaging.destination.partition.id", commit.Partition.ToString()));
        health.ReportLoss($"partition {commit.Partition} commit {commit.Sequence} (offsets {commit.FirstOffset} to {commit.LastOffset}) names files that are gone: {string.Join(", ", files)}");
    }

    private void ReportLoss(int partition, long from, long to)
    {
        LogLostOffsets(partition, from, to - 1, to - from);
        telemetry.LostOffsets.Add(to - from, new KeyValuePair<string, object?>("messaging.destination.partition.id", partition.ToString()));
        health.ReportLoss($"Kafka no longer had partition {partition} offsets {from} to {to - 1}, which the lake needed");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} assigned: resuming at offset {Offset}, taken over with lake commit {Sequence}")]
    private partial void LogAssigned(int partition, long offset, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: the lake has nothing of it yet and Kafka starts at offset {Low}: records before it, if any, were never landed")]
    private partial void LogStartsLate(int partition, long low);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: Kafka no longer holds at offset {LastOffset} the record the lake landed from there (its log now ends at {High}): a new broker or topic. Landing all its records from offset {Offset}")]
    private partial void LogNewLog(int partition, long lastOffset, long high, long offset);

    [LoggerMessage(Level = LogLevel.Error, Message = "DATA LOST: partition {Partition} commit {Sequence} (offsets {From} to {To}) names files that exist neither staged nor in place, and no compaction replaced them: {Files}")]
    private partial void LogMissingFiles(int partition, long sequence, long from, long to, string files);

    [LoggerMessage(Level = LogLevel.Error, Message = "DATA LOST: partition {Partition} offsets {From} to {To} ({Count} records) are no longer in Kafka and were never landed")]
    private partial void LogLostOffsets(int partition, long from, long to, long count);
}
