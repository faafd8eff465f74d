using GameAnalytics.Lake.Tables;
using ParquetSharp;

namespace GameAnalytics.Streaming.Landing;

/// <summary>
/// Writes table files with Apache Arrow's Parquet writer (ParquetSharp): Snappy, dictionary encoding,
/// millisecond UTC timestamps with correct statistics, no INT96.
/// </summary>
internal sealed class ParquetTableWriter
{
    private static readonly LogicalType UtcMillis = LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Millis);

    private static readonly Column[] EventColumns = [.. LakeColumns.Event.Select(ToParquet)];

    private static readonly Column[] RejectedColumns = [.. LakeColumns.Rejected.Select(ToParquet)];

    /// <summary>Writes the rows at <paramref name="indexes"/> straight from their UTF-8 text: no string per value.</summary>
    public void WriteEvents(Stream output, EventRows rows, int[] indexes)
    {
        var text = rows.PinText();
        try
        {
            var columns = new EventColumnWriter(rows, indexes, text.AddrOfPinnedObject());
            WriteFile(output, EventColumns, group =>
            {
                columns.Text(group, static (in row) => row.RawEvent);
                columns.Text(group, static (in row) => row.Timestamp);
                columns.Text(group, static (in row) => row.Accept);
                columns.Text(group, static (in row) => row.Host);
                columns.Text(group, static (in row) => row.UserAgent);
                columns.Text(group, static (in row) => row.EventType);
                columns.Text(group, static (in row) => row.EventId);
                columns.Text(group, static (in row) => row.UserId);
                columns.Time(group, static (in row) => row.ReceivedAt);
                columns.Time(group, static (in row) => row.ClientTime);
                columns.Text(group, static (in row) => row.Properties);
                columns.Values(group, static (in row) => row.KafkaPartition);
                columns.Values(group, static (in row) => row.KafkaOffset);
                columns.Text(group, static (in row) => row.AppId);
            });
        }
        finally
        {
            text.Free();
        }
    }

    public void WriteRejected(Stream output, IReadOnlyList<RejectedRecord> rows) =>
        WriteFile(output, RejectedColumns, group =>
        {
            Write(group, rows, row => row.RawEvent);
            Write(group, rows, row => row.RawBytes);
            Write(group, rows, row => row.Reason);
            Write(group, rows, row => row.KafkaPartition);
            Write(group, rows, row => row.KafkaOffset);
            Write(group, rows, row => row.KafkaTimestamp);
            Write(group, rows, row => row.RejectedAt);
        });

    /// <summary>One file, one row group: batches are small, and compaction makes the large row groups.</summary>
    private static void WriteFile(Stream output, Column[] columns, Action<RowGroupWriter> writeColumns)
    {
        using var properties = CreateProperties();
        using var file = new ParquetFileWriter(output, columns, LogicalTypeFactory.Default, properties, keyValueMetadata: null, leaveOpen: true);
        using (var group = file.AppendRowGroup())
        {
            writeColumns(group);
        }

        file.Close();
    }

    /// <summary>What identifies each event of an event table file (its id, player and type), read from those columns alone.</summary>
    public static IEnumerable<LandedEventKey> ReadEventKeys(Stream input)
    {
        using var file = new ParquetFileReader(input, leaveOpen: true);
        var schema = file.FileMetaData.Schema;
        int[] columns = [schema.ColumnIndex(LakeColumns.EventId), schema.ColumnIndex(LakeColumns.UserId), schema.ColumnIndex(LakeColumns.EventType)];
        if (columns.Any(column => column < 0))
        {
            yield break;
        }

        for (var group = 0; group < file.FileMetaData.NumRowGroups; group++)
        {
            using var rowGroup = file.RowGroup(group);
            var rows = (int)rowGroup.MetaData.NumRows;
            var values = columns.Select(column =>
            {
                using var columnReader = rowGroup.Column(column);
                using var reader = columnReader.LogicalReader<string>();
                return reader.ReadAll(rows);
            }).ToArray();
            for (var row = 0; row < rows; row++)
            {
                yield return new LandedEventKey(values[0][row], values[1][row], values[2][row]);
            }
        }
    }

    private static void Write<TRow, TValue>(RowGroupWriter group, IReadOnlyList<TRow> rows, Func<TRow, TValue> select)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[i]);
        }

        // Every native handle disposed here: left to the finalizer, they cost the landing thread GC time.
        using var column = group.NextColumn();
        using var writer = column.LogicalWriter<TValue>();
        writer.WriteBatch(values);
    }

    private static Column ToParquet(LakeColumn column) => (column.Type, column.Nullable) switch
    {
        (LakeColumnType.String, _) => new Column<string>(column.Name),
        (LakeColumnType.Binary, _) => new Column<byte[]>(column.Name),
        (LakeColumnType.Int32, false) => new Column<int>(column.Name),
        (LakeColumnType.Int32, true) => new Column<int?>(column.Name),
        (LakeColumnType.Int64, false) => new Column<long>(column.Name),
        (LakeColumnType.Int64, true) => new Column<long?>(column.Name),
        (LakeColumnType.Timestamp, false) => new Column<DateTime>(column.Name, UtcMillis),
        (LakeColumnType.Timestamp, true) => new Column<DateTime?>(column.Name, UtcMillis),
        _ => throw new NotSupportedException($"No Parquet column for {column.Type}."),
    };

    private static WriterProperties CreateProperties()
    {
        using var builder = new WriterPropertiesBuilder();
        return builder.Compression(Compression.Snappy).EnableDictionary().EnableStatistics().Build();
    }
}

/// <summary>An event as the retry window knows it.</summary>
internal readonly record struct LandedEventKey(string EventId, string UserId, string EventType);
