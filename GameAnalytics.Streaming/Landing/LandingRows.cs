using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Streaming.Landing;

/// <summary>What one batch lands: its event rows in columns, and the records it rejected. Reused from batch to batch.</summary>
internal sealed class LandingRows(IReadOnlyList<string> tables)
{
    private readonly Dictionary<(int Table, DateOnly Dt), List<int>> _files = [];

    private readonly string[] _tables = [.. tables];

    /// <summary>The event tables that <see cref="EventRow.Table"/> indexes.</summary>
    public IReadOnlyList<string> Tables => _tables;

    public EventRows Events { get; } = new();

    public List<RejectedRecord> Rejected { get; } = [];

    /// <summary>Adds an event as the envelope's deserializer read it.</summary>
    public void Add(string table, LandedEvent landed)
    {
        var rows = Events;
        var tableIndex = Array.IndexOf(_tables, table);
        if (tableIndex < 0)
        {
            throw new ArgumentException($"'{table}' is not one of this batch's tables.", nameof(table));
        }

        // The texts first: the row is the last one added when they are.
        var texts = (rows.AddText(landed.RawEvent), rows.AddText(landed.Timestamp), rows.AddText(landed.Accept), rows.AddText(landed.Host),
            rows.AddText(landed.UserAgent), rows.AddText(landed.EventType), rows.AddText(landed.EventId), rows.AddText(landed.UserId),
            rows.AddText(landed.Properties), rows.AddText(landed.AppId));
        ref var row = ref rows.Add();
        row.Table = tableIndex;
        (row.RawEvent, row.Timestamp, row.Accept, row.Host, row.UserAgent, row.EventType, row.EventId, row.UserId, row.Properties, row.AppId) = texts;
        row.ReceivedAt = landed.ReceivedAt;
        row.ClientTime = landed.ClientTime;
        row.KafkaPartition = landed.KafkaPartition;
        row.KafkaOffset = landed.KafkaOffset;
    }

    /// <summary>The files the batch writes: one per table and day, rows in the order they were consumed.</summary>
    public IEnumerable<LandingFile> Files()
    {
        _files.Clear();
        for (var i = 0; i < Events.Count; i++)
        {
            var key = (Events[i].Table, Events[i].Dt);
            if (!_files.TryGetValue(key, out var list))
            {
                _files[key] = list = [];
            }

            list.Add(i);
        }

        foreach (var ((table, dt), rows) in _files)
        {
            yield return new LandingFile(_tables[table], dt, [.. rows], null);
        }

        foreach (var rejected in Rejected.GroupBy(record => record.Dt))
        {
            yield return new LandingFile(TableNames.Rejected, rejected.Key, null, [.. rejected]);
        }
    }

    public void Clear()
    {
        Events.Clear();
        Rejected.Clear();
    }
}

/// <summary>One file of a batch: the indexes of its rows in <see cref="LandingRows.Events"/>, or its rejected records.</summary>
internal sealed record LandingFile(string Table, DateOnly Dt, int[]? EventRows, IReadOnlyList<RejectedRecord>? Rejected);
