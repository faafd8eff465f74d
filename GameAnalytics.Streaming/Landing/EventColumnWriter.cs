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
        var values = Scratch<ByteArray>.Get(indexes.Length);
        var levels = Scratch<short>.Get(indexes.Length);
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
        column.WriteBatch(indexes.Length, levels[..indexes.Length], default, values[..count]);
    }

    public void Time(RowGroupWriter group, Select<DateTime> select) => Values(group, (in row) => UnixMillis(select(in row)));

    public void Time(RowGroupWriter group, Select<DateTime?> select)
    {
        var values = Scratch<long>.Get(indexes.Length);
        var levels = Scratch<short>.Get(indexes.Length);
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
        column.WriteBatch(indexes.Length, levels[..indexes.Length], default, values[..count]);
    }

    /// <summary>A required column of a physical type.</summary>
    public void Values<T>(RowGroupWriter group, Select<T> select)
        where T : unmanaged
    {
        var values = Scratch<T>.Get(indexes.Length);
        for (var i = 0; i < indexes.Length; i++)
        {
            values[i] = select(in rows[indexes[i]]);
        }

        using var column = (ColumnWriter<T>)group.NextColumn();
        column.WriteBatch(values[..indexes.Length]);
    }

    /// <summary>
    /// A landing thread's buffers for one column's values, kept for its next file: pooled arrays of this size are
    /// trimmed by the runtime after each full garbage collection, and renting them again showed in the profile.
    /// </summary>
    private static class Scratch<T>
    {
        [ThreadStatic]
        private static T[]? t_items;

        public static Span<T> Get(int length)
        {
            if (t_items is null || t_items.Length < length)
            {
                t_items = new T[Math.Max(length, (t_items?.Length ?? 0) * 2)];
            }

            return t_items;
        }
    }

    /// <summary>As ParquetSharp's own DateTime writer stores a millisecond timestamp.</summary>
    private static long UnixMillis(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
