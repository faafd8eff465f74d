using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>Rows and files of event tables, written with the stream processor's own Parquet writer.</summary>
public static class LandedEvents
{
    internal static LandedEvent Create(string eventType, string host, DateTime receivedAt, long offset, string? eventId = null) =>
        new($$"""{"event_type":"{{eventType}}","host":"{{host}}"}""", receivedAt.ToString("yyyy-MM-dd HH:mm:ss.fff"), "*/*", host, "ApacheBench/2.3",
            eventType, eventId ?? Guid.CreateVersion7().ToString(), host, receivedAt, null, null, 0, offset);

    /// <summary>
    /// Writes the rows as one committed-looking file of partition 0 and returns its path. The file appears whole, as
    /// the committer's do: written under a staged name, then renamed.
    /// </summary>
    internal static string Write(string lakeRoot, string table, long sequence, IReadOnlyList<LandedEvent> rows)
    {
        var first = rows.Count == 0 ? 0 : rows[0].KafkaOffset;
        var path = TableFiles.RelativePath(table, DateOnly.FromDateTime(rows[0].ReceivedAt), 0, sequence, first, first + rows.Count - 1);
        var storage = new LocalLakeStorage(lakeRoot);
        var staged = TableFiles.TempPath(path, "fixture");
        var landing = new LandingRows([table]);
        foreach (var row in rows)
        {
            landing.Add(table, row);
        }

        storage.Write(staged, stream => new ParquetTableWriter().WriteEvents(stream, landing.Events, [.. Enumerable.Range(0, rows.Count)]));
        storage.Rename(staged, path);
        return Path.Combine(lakeRoot, path);
    }
}
