using System.Globalization;
using System.Text.Json;

namespace GameAnalytics.Streaming.Lake;

/// <summary>
/// The lake's record of what each Kafka partition has landed, under <c>_streaming/&lt;topic&gt;/p&lt;partition&gt;/</c>
/// (hidden from Hive, Presto, Spark and DuckDB by its leading underscore). The lake, not Kafka, is the source of truth
/// for where each partition resumes.
/// </summary>
internal sealed class CommitLog(string lakeRoot, string topic)
{
    private const int RecordsKept = 100;

    public string PartitionDirectory(int partition) =>
        Path.Combine(lakeRoot, "_streaming", topic, $"p{partition:D3}");

    public CommitRecord? Latest(int partition)
    {
        var directory = PartitionDirectory(partition);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var latest = Sequences(directory).DefaultIfEmpty(-1).Max();
        return latest < 0 ? null : Read(RecordPath(directory, latest));
    }

    public bool Contains(int partition, long sequence) => File.Exists(RecordPath(PartitionDirectory(partition), sequence));

    /// <summary>The partition's kept records, newest first.</summary>
    public IEnumerable<CommitRecord> Recent(int partition)
    {
        var directory = PartitionDirectory(partition);
        return Directory.Exists(directory)
            ? Sequences(directory).OrderDescending().Select(sequence => Read(RecordPath(directory, sequence)))
            : [];
    }

    /// <summary>Appends the record unless another writer already committed that sequence (then false).</summary>
    public bool TryAppend(CommitRecord record)
    {
        var directory = PartitionDirectory(record.Partition);
        Directory.CreateDirectory(directory);
        var path = RecordPath(directory, record.Sequence);
        var temp = Path.Combine(directory, $".{record.Sequence:D12}.{Guid.NewGuid():N}.tmp");

        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, record, CommitRecordJsonContext.Default.CommitRecord);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            // No-replace rename: of two writers of the same sequence, exactly one wins.
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    /// <summary>Keeps the newest records; recovery needs only the latest.</summary>
    public void Prune(int partition)
    {
        var directory = PartitionDirectory(partition);
        foreach (var sequence in Sequences(directory).OrderDescending().Skip(RecordsKept))
        {
            File.Delete(RecordPath(directory, sequence));
        }
    }

    private static IEnumerable<long> Sequences(string directory) =>
        Directory.EnumerateFiles(directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : -1)
            .Where(sequence => sequence >= 0);

    private static string RecordPath(string directory, long sequence) =>
        Path.Combine(directory, $"{sequence:D12}.json");

    private static CommitRecord Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, CommitRecordJsonContext.Default.CommitRecord)
            ?? throw new InvalidDataException($"The commit record {path} is empty.");
    }
}
