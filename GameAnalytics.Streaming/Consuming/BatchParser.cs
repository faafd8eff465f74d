using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Turns a batch's consumed records into the rows it lands, on the landing thread of its partition: the fast reader
/// for the collector's records, the parser for the rest; drops client retries; starts the processing spans.
/// </summary>
internal sealed class BatchParser(EventRecordReader reader, EventRecordParser parser, LandingTelemetry telemetry)
{
    public void Parse(PartitionBatch batch, LandingRows rows)
    {
        var (records, events) = (batch.Records, rows.Events);
        var traced = records.Traced;
        var nextTraced = 0;
        for (var i = 0; i < records.Count; i++)
        {
            ref readonly var record = ref records[i];
            var value = records.Value(i);
            var mark = events.Mark();
            string table;
            string? rejected = null;
            DedupResult added;
            if (reader.TryRead(value, batch.Partition, record.Offset, record.TimestampMs, events, out var eventId))
            {
                ref readonly var row = ref events[events.Count - 1];
                table = rows.Tables[row.Table];
                added = batch.RecentEvents.TryAdd(eventId, events.Text(row.UserId), events.Text(row.EventType));
            }
            else
            {
                var parsed = parser.Parse(value, batch.Partition, record.Offset, record.TimestampMs);
                table = parsed.Table;
                if (parsed.Event is { } landed)
                {
                    added = batch.RecentEvents.TryAdd(Guid.Parse(landed.EventId), landed.UserId, landed.EventType);
                    if (added != DedupResult.Duplicate)
                    {
                        rows.Add(table, landed);
                    }
                }
                else
                {
                    (added, rejected) = (DedupResult.New, parsed.Rejected!.Reason);
                    rows.Rejected.Add(parsed.Rejected);
                }
            }

            if (added == DedupResult.Duplicate)
            {
                // A retry of an event already landed or in this batch: only its offset counts.
                events.RollBack(mark);
                telemetry.RecordDuplicate();
            }
            else if (added == DedupResult.ReusedForAnotherType)
            {
                telemetry.RecordReusedEventId();
            }

            if (nextTraced < traced.Count && traced[nextTraced].FirstRecord == i)
            {
                telemetry.TraceProcessing(batch, traced[nextTraced++].Parent, record.Offset, table, rejected);
            }
        }
    }
}
