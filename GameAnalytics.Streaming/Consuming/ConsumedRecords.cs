using System.Diagnostics;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// What a partition consumed since its last commit: each record's Kafka value copied into one reused buffer, so that
/// the consume thread keeps no object per record alive until landing, and the trace context of the traced records.
/// </summary>
internal sealed class ConsumedRecords
{
    private readonly BatchBytes _values = new(initialBytes: 64 * 1024, maxKeptBytes: 16 * 1024 * 1024);
    private ConsumedRecord[] _records = new ConsumedRecord[256];
    private readonly List<TracedRun> _traced = [];

    public int Count { get; private set; }

    /// <summary>The bytes of the values held.</summary>
    public int Bytes => _values.Length;

    public ref readonly ConsumedRecord this[int index] => ref _records[index];

    public ReadOnlySpan<byte> Value(int index) => _values.Slice(_records[index].Start, _records[index].Length);

    /// <summary>The records that start a run of one traced request: a processing span is started for each.</summary>
    public IReadOnlyList<TracedRun> Traced => _traced;

    public void Add(long offset, long timestampMs, ReadOnlySpan<byte> value)
    {
        if (Count == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        _records[Count++] = new ConsumedRecord(offset, timestampMs, _values.Append(value), value.Length);
    }

    /// <summary>The last record added starts a run of records of one traced request.</summary>
    public void StartTracedRun(ActivityContext parent) => _traced.Add(new TracedRun(Count - 1, parent));

    public void Clear()
    {
        _values.Clear();
        Count = 0;
        _traced.Clear();
    }
}

/// <param name="TimestampMs">The Kafka timestamp, in Unix milliseconds.</param>
internal readonly record struct ConsumedRecord(long Offset, long TimestampMs, int Start, int Length);

/// <param name="FirstRecord">The index of the run's first record in <see cref="ConsumedRecords"/>.</param>
/// <param name="Parent">The producer's span, from the record's <c>traceparent</c>.</param>
internal readonly record struct TracedRun(int FirstRecord, ActivityContext Parent);
