using System.Runtime.InteropServices;
using System.Text;

namespace GameAnalytics.Streaming.Landing;

/// <summary>
/// A batch's event rows in columns: one struct per row and every text value as UTF-8 in one byte buffer, so that
/// landing keeps no object per event alive until its batch is written (those objects and their garbage collections
/// were most of landing's cost). Reused from batch to batch.
/// </summary>
internal sealed class EventRows
{
    private readonly BatchBytes _text = new(initialBytes: 64 * 1024, maxKeptBytes: 32 * 1024 * 1024);
    private EventRow[] _rows = new EventRow[1024];

    public int Count { get; private set; }

    /// <summary>The bytes of text the rows hold.</summary>
    public int TextLength => _text.Length;

    public ref EventRow this[int index] => ref _rows[index];

    public ReadOnlySpan<byte> Text(TextSlice slice) => slice.IsNull ? default : _text.Slice(slice.Start, slice.Length);

    /// <summary>The row to fill next; <see cref="RollBack"/> to a <see cref="Mark"/> taken before forgets it again.</summary>
    public ref EventRow Add()
    {
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        _rows[Count] = EventRow.Empty;
        return ref _rows[Count++];
    }

    public TextSlice AddText(ReadOnlySpan<byte> utf8) => new(_text.Append(utf8), utf8.Length);

    public TextSlice AddText(string? text) =>
        text is null ? TextSlice.Null : Commit(Encoding.UTF8.GetBytes(text, Reserve(Encoding.UTF8.GetMaxByteCount(text.Length))));

    /// <summary>Room for at most <paramref name="maxLength"/> bytes at the end of the text; <see cref="Commit"/> what was written.</summary>
    public Span<byte> Reserve(int maxLength) => _text.Reserve(maxLength);

    public TextSlice Commit(int written) => new(_text.Commit(written), written);

    public (int Rows, int Text) Mark() => (Count, TextLength);

    public void RollBack((int Rows, int Text) mark)
    {
        Count = mark.Rows;
        _text.Truncate(mark.Text);
    }

    /// <summary>Pins the text for a native writer, which reads it through pointers.</summary>
    public GCHandle PinText() => GCHandle.Alloc(_text.Array, GCHandleType.Pinned);

    public void Clear()
    {
        _text.Clear();
        Count = 0;
    }
}

/// <summary>A UTF-8 value in <see cref="EventRows"/>' text, or null.</summary>
internal readonly record struct TextSlice(int Start, int Length)
{
    public static TextSlice Null { get; } = new(0, -1);

    public bool IsNull => Length < 0;
}

/// <summary>One event: the columns of <see cref="Lake.Tables.LakeColumns.Event"/>, texts as slices.</summary>
internal struct EventRow
{
    /// <summary>A row whose texts are all null.</summary>
    public static readonly EventRow Empty = new()
    {
        RawEvent = TextSlice.Null, Timestamp = TextSlice.Null, Accept = TextSlice.Null, Host = TextSlice.Null, UserAgent = TextSlice.Null,
        EventType = TextSlice.Null, EventId = TextSlice.Null, UserId = TextSlice.Null, Properties = TextSlice.Null, AppId = TextSlice.Null,
    };

    /// <summary>Where the row lands: an index into <see cref="Routing.TableRouter.Tables"/>.</summary>
    public int Table;
    public TextSlice RawEvent;
    public TextSlice Timestamp;
    public TextSlice Accept;
    public TextSlice Host;
    public TextSlice UserAgent;
    public TextSlice EventType;
    public TextSlice EventId;
    public TextSlice UserId;
    public DateTime ReceivedAt;
    public DateTime? ClientTime;
    public TextSlice Properties;
    public int KafkaPartition;
    public long KafkaOffset;
    public TextSlice AppId;

    /// <summary>The Hive partition: the UTC date of <see cref="ReceivedAt"/>.</summary>
    public readonly DateOnly Dt => DateOnly.FromDateTime(ReceivedAt);
}
