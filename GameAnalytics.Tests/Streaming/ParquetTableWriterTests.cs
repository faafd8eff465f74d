using System.Text.Json;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>The columns the landing path writes from UTF-8 slices, as DuckDB reads them back, against the envelopes as System.Text.Json reads them.</summary>
public sealed class ParquetTableWriterTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    [Fact]
    public void DuckDB_reads_every_column_as_the_envelope_says()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 500).Select(_ => RandomEnvelopes.Next(random).ToUtf8Json()).ToList();
        var rows = new LandingRows(RandomEnvelopes.Router.Tables);
        var reader = new EventRecordReader(RandomEnvelopes.Router);
        const long kafkaTimestamp = 1_764_446_400_123;
        for (var offset = 0; offset < values.Count; offset++)
        {
            Assert.True(reader.TryRead(values[offset], 7, offset, kafkaTimestamp, rows.Events, out _));
        }

        // Every row in one file, whatever its table: the columns are what is checked here.
        var storage = new LocalLakeStorage(_lake.Path);
        storage.Write("t/dt=2026-11-29/p.parquet", stream => new ParquetTableWriter().WriteEvents(stream, rows.Events, [.. Enumerable.Range(0, values.Count)]));
        using var lake = new LakeQuery(_lake.Path);
        var columns = string.Join(", ", LakeColumns.Event.Select(column => $"\"{column.Name}\""));
        var read = lake.Rows($"select {columns} from {lake.Table("t")} order by kafka_offset");

        Assert.Equal(values.Count, read.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var envelope = EventEnvelope.FromUtf8Json(values[i])!;
            object?[] expected =
            [
                System.Text.Encoding.UTF8.GetString(values[i]), "2025-11-29 20:00:00.123", envelope.Accept, envelope.Host, envelope.UserAgent, envelope.EventType,
                envelope.EventId.ToString(), envelope.UserId, Millis(envelope.ReceivedAt), envelope.ClientTime is { } client ? Millis(client) : null,
                envelope.Properties is { ValueKind: JsonValueKind.Object } properties ? properties.GetRawText() : null, 7, (long)i, envelope.AppId,
            ];
            Assert.Equal(expected, read[i]);
        }
    }

    /// <summary>DuckDB gives a TIMESTAMPTZ as the UTC time in a DateTime of unspecified kind.</summary>
    private static DateTime Millis(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);

    public void Dispose() => _lake.Dispose();
}
