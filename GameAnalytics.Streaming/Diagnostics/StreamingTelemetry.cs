using System.Diagnostics;
using System.Diagnostics.Metrics;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Streaming.Diagnostics;

/// <summary>The processor's spans and metrics, shown in the Aspire dashboard.</summary>
internal sealed class StreamingTelemetry : IDisposable
{
    public const string Name = "GameAnalytics.Streaming";

    private readonly Meter _meter;
    private IReadOnlyDictionary<int, long> _lag = new Dictionary<int, long>();

    public StreamingTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        Landed = _meter.CreateCounter<long>("gameanalytics.streaming.events.landed", "{event}", "Events committed to the lake.");
        Rejected = _meter.CreateCounter<long>("gameanalytics.streaming.events.rejected", "{event}", $"Records landed in {TableNames.Rejected}.");
        Duplicates = _meter.CreateCounter<long>("gameanalytics.streaming.events.duplicates", "{event}", "Client retries of an event already landed, dropped.");
        ReusedEventIds = _meter.CreateCounter<long>("gameanalytics.streaming.events.reused_ids", "{event}", "Events landed though their player had sent the same event_id with another event_type (a client bug).");
        FilesWritten = _meter.CreateCounter<long>("gameanalytics.streaming.files.written", "{file}", "Parquet files committed.");
        FilesCompacted = _meter.CreateCounter<long>("gameanalytics.streaming.files.compacted", "{file}", "Small files replaced by compaction.");
        CompactionsYielded = _meter.CreateCounter<long>("gameanalytics.streaming.compaction.yielded", "{run}", "Compaction runs skipped because landing was behind.");
        LostOffsets = _meter.CreateCounter<long>("gameanalytics.streaming.offsets.lost", "{offset}", "Offsets Kafka no longer had when the processor needed them.");
        Faults = _meter.CreateCounter<long>("gameanalytics.streaming.faults", "{fault}", "Landing or consuming failures that were retried (a full disk, an unreachable broker or WebHDFS, a refused commit).");
        BatchSize = _meter.CreateHistogram<long>("gameanalytics.streaming.batch.size", "{record}", "Records per landed batch.");
        BatchDuration = _meter.CreateHistogram<double>("gameanalytics.streaming.batch.duration", "s", "Time to write and commit one batch.");
        Freshness = _meter.CreateHistogram<double>("gameanalytics.streaming.freshness", "s", "Commit time minus received_at, per event.");
        _meter.CreateObservableGauge("gameanalytics.streaming.consumer.lag", ObserveLag, "{record}", "Records in Kafka not yet landed, per partition.");
    }

    public ActivitySource Source { get; } = new(Name);

    public Counter<long> Landed { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Duplicates { get; }

    public Counter<long> ReusedEventIds { get; }

    public Counter<long> FilesWritten { get; }

    public Counter<long> FilesCompacted { get; }

    public Counter<long> CompactionsYielded { get; }

    public Counter<long> LostOffsets { get; }

    public Counter<long> Faults { get; }

    public Histogram<long> BatchSize { get; }

    public Histogram<double> BatchDuration { get; }

    public Histogram<double> Freshness { get; }

    public void ReportLag(IReadOnlyDictionary<int, long> lagByPartition) => _lag = lagByPartition;

    /// <summary>The records in Kafka not yet landed, over every partition, as last reported (about once a second).</summary>
    public long Lag => _lag.Values.Sum();

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(entry => new Measurement<long>(entry.Value, new KeyValuePair<string, object?>("messaging.destination.partition.id", entry.Key.ToString())));

    public void Dispose()
    {
        Source.Dispose();
        _meter.Dispose();
    }
}
