using System.Buffers;
using ParquetSharp;

namespace GameAnalytics.Streaming.Landing;

/// <summary>
/// Writes columns of <see cref="EventRows"/> with ParquetSharp's physical column writers: texts as pointers into the
/// rows' pinned UTF-8, times as Unix milliseconds, nulls as definition levels.
/// </summary>
internal readonly struct EventColumnWriter(EventRows rows, int[] indexes, nint text)
{
    public delegate T Select<out T>(in EventRow row);

    public void Text(RowGroupWriter group, Select<TextSlice> select)
    {
        var values = ArrayPool<ByteArray>.Shared.Rent(indexes.Length);
        var levels = ArrayPool<short>.Shared.Rent(indexes.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < indexes.Length; i++)
            {
                var slice = select(in rows[indexes[i]]);
                levels[i] = slice.IsNull ? (short)0 : (short)1;
                if (!slice.IsNull)
                {
                    values[count++] = new ByteArray(text + slice.Start, slice.Length);
                }
            }

            using var column = (ColumnWriter<ByteArray>)group.NextColumn();
            column.WriteBatch(indexes.Length, levels.AsSpan(0, indexes.Length), default, values.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<ByteArray>.Shared.Return(values);
            ArrayPool<short>.Shared.Return(levels);
        }
    }

    public void Time(RowGroupWriter group, Select<DateTime> select) => Values(group, (in row) => UnixMillis(select(in row)));

    public void Time(RowGroupWriter group, Select<DateTime?> select)
    {
        var values = ArrayPool<long>.Shared.Rent(indexes.Length);
        var levels = ArrayPool<short>.Shared.Rent(indexes.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < indexes.Length; i++)
            {
                var time = select(in rows[indexes[i]]);
                levels[i] = time is null ? (short)0 : (short)1;
                if (time is { } value)
                {
                    values[count++] = UnixMillis(value);
                }
            }

            using var column = (ColumnWriter<long>)group.NextColumn();
            column.WriteBatch(indexes.Length, levels.AsSpan(0, indexes.Length), default, values.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<long>.Shared.Return(values);
            ArrayPool<short>.Shared.Return(levels);
        }
    }

    /// <summary>A required column of a physical type.</summary>
    public void Values<T>(RowGroupWriter group, Select<T> select)
        where T : unmanaged
    {
        var values = ArrayPool<T>.Shared.Rent(indexes.Length);
        try
        {
            for (var i = 0; i < indexes.Length; i++)
            {
                values[i] = select(in rows[indexes[i]]);
            }

            using var column = (ColumnWriter<T>)group.NextColumn();
            column.WriteBatch(values.AsSpan(0, indexes.Length));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
        }
    }

    /// <summary>As ParquetSharp's own DateTime writer stores a millisecond timestamp.</summary>
    private static long UnixMillis(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
