using System.Diagnostics;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// What a partition consumed since its last commit: each record's Kafka value copied into one reused buffer, so that
/// the consume thread keeps no object per record alive until landing, and the trace context of the traced records.
/// </summary>
internal sealed class ConsumedRecords
{
    private const int InitialBytes = 64 * 1024;
    private const int MaxKeptBytes = 16 * 1024 * 1024;

    private byte[] _values = new byte[InitialBytes];
    private ConsumedRecord[] _records = new ConsumedRecord[256];
    private readonly List<TracedRun> _traced = [];

    public int Count { get; private set; }

    /// <summary>The bytes of the values held.</summary>
    public int Bytes { get; private set; }

    public ref readonly ConsumedRecord this[int index] => ref _records[index];

    public ReadOnlySpan<byte> Value(int index) => _values.AsSpan(_records[index].Start, _records[index].Length);

    /// <summary>The records that start a run of one traced request: a processing span is started for each.</summary>
    public IReadOnlyList<TracedRun> Traced => _traced;

    public void Add(long offset, long timestampMs, ReadOnlySpan<byte> value)
    {
        if (Count == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        if (Bytes + value.Length > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, Bytes + value.Length));
        }

        value.CopyTo(_values.AsSpan(Bytes));
        _records[Count++] = new ConsumedRecord(offset, timestampMs, Bytes, value.Length);
        Bytes += value.Length;
    }

    /// <summary>The last record added starts a run of records of one traced request.</summary>
    public void StartTracedRun(ActivityContext parent) => _traced.Add(new TracedRun(Count - 1, parent));

    public void Clear()
    {
        // The buffer keeps its size from batch to batch: shrinking and growing it again made garbage on the large object
        // heap faster than full collections freed it. Only one that large events grew past the limit goes.
        if (_values.Length > MaxKeptBytes)
        {
            _values = new byte[InitialBytes];
        }

        Count = Bytes = 0;
        _traced.Clear();
    }
}

/// <param name="TimestampMs">The Kafka timestamp, in Unix milliseconds.</param>
internal readonly record struct ConsumedRecord(long Offset, long TimestampMs, int Start, int Length);

/// <param name="FirstRecord">The index of the run's first record in <see cref="ConsumedRecords"/>.</param>
/// <param name="Parent">The producer's span, from the record's <c>traceparent</c>.</param>
internal readonly record struct TracedRun(int FirstRecord, ActivityContext Parent);
