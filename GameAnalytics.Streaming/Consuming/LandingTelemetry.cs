using System.Diagnostics;
using Confluent.Kafka;
using GameAnalytics.Events.Kafka;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// The consume loop's spans and metrics: a processing span per run of records from one trace (a child of the
/// producer's span, so one trace runs from the HTTP request to the lake commit), a commit span per batch, counts, lag.
/// </summary>
internal sealed class LandingTelemetry(StreamingTelemetry telemetry, StreamingOptions options)
{
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(1);

    private long _lagReportedAt;

    /// <summary>On the consume thread: notes the trace context of a record that starts a run of one traced request.</summary>
    public static void NoteTrace(PartitionBatch batch, ConsumeResult<Ignore, byte[]> result)
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

        batch.Records.StartTracedRun(KafkaTracePropagation.Extract(result.Message.Headers).ActivityContext);
    }

    /// <summary>A processing span for a run of records of one request, a child of the producer's span.</summary>
    public void TraceProcessing(PartitionBatch batch, ActivityContext parent, long offset, string table, string? rejectedReason)
    {
        using var activity = telemetry.Source.StartActivity($"process {options.Topic}", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.destination.name", options.Topic);
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag("messaging.consumer.group.name", options.GroupId);
        activity.SetTag("messaging.destination.partition.id", batch.Partition.ToString());
        activity.SetTag("messaging.kafka.offset", offset);
        activity.SetTag("gameanalytics.table", table);
        if (rejectedReason is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, rejectedReason);
        }

        batch.Link(activity.Context);
    }

    /// <summary>A "lake commit" span for one batch, linked to the processing of its events.</summary>
    public Activity? StartCommit(PartitionBatch batch)
    {
        var activity = telemetry.Source.StartActivity(
            ActivityKind.Internal,
            parentContext: batch.Links.Count > 0 ? batch.Links[0].Context : default,
            links: batch.Links,
            name: "lake commit");
        activity?.SetTag("messaging.destination.partition.id", batch.Partition.ToString());
        activity?.SetTag("gameanalytics.commit.sequence", batch.NextSequence);
        activity?.SetTag("gameanalytics.commit.first_offset", batch.FirstOffset);
        activity?.SetTag("gameanalytics.commit.last_offset", batch.LastOffset);
        activity?.SetTag("messaging.batch.message_count", batch.Records.Count);
        return activity;
    }

    public static void EndCommit(Activity? activity, CommitRecord? commit)
    {
        if (commit is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "fenced by another instance");
        }
        else
        {
            activity?.SetTag("gameanalytics.commit.files", commit.Files.Count);
        }
    }

    /// <summary>On the landing thread, once the batch is committed: counts, and each event's freshness.</summary>
    public void RecordLanded(PartitionBatch batch, LandingRows rows, CommitRecord commit, TimeSpan duration)
    {
        var now = commit.CommittedAt.UtcDateTime;
        for (var i = 0; i < rows.Events.Count; i++)
        {
            telemetry.Freshness.Record((now - rows.Events[i].ReceivedAt).TotalSeconds);
        }

        telemetry.Landed.Add(rows.Events.Count);
        telemetry.Rejected.Add(rows.Rejected.Count);
        telemetry.FilesWritten.Add(commit.Files.Count);
        telemetry.BatchSize.Record(batch.Records.Count);
        telemetry.BatchDuration.Record(duration.TotalSeconds);
    }

    public void RecordDuplicate() => telemetry.Duplicates.Add(1);

    public void RecordReusedEventId() => telemetry.ReusedEventIds.Add(1);

    /// <summary>At most once a second, each partition's records in Kafka not yet landed, from the consumer's cached watermarks.</summary>
    public void ReportLag(IConsumer<Ignore, byte[]> consumer, IEnumerable<PartitionBatch> batches)
    {
        if (Stopwatch.GetElapsedTime(_lagReportedAt) < LagInterval)
        {
            return;
        }

        _lagReportedAt = Stopwatch.GetTimestamp();
        var lag = new Dictionary<int, long>();
        foreach (var batch in batches)
        {
            var high = consumer.GetWatermarkOffsets(new TopicPartition(options.Topic, batch.Partition)).High;
            if (high != Offset.Unset)
            {
                lag[batch.Partition] = Math.Max(0, high.Value - batch.NextOffset);
            }
        }

        telemetry.ReportLag(lag);
    }
}
