using System.Globalization;
using System.Text.Json;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Lake.Commits;

/// <summary>
/// The lake's record of what each Kafka partition has landed, under <c>_streaming/&lt;topic&gt;/p&lt;partition&gt;/</c>
/// (hidden from Hive, Presto, Spark and DuckDB by its leading underscore). The lake, not Kafka, is the source of truth
/// for where each partition resumes.
/// </summary>
public sealed class CommitLog(ILakeStorage storage, string topic)
{
    private const int RecordsKept = 100;

    public string PartitionDirectory(int partition) => $"_streaming/{topic}/p{partition:D3}";

    public CommitRecord? Latest(int partition)
    {
        var latest = Sequences(partition).DefaultIfEmpty(-1).Max();
        return latest < 0 ? null : Read(RecordPath(partition, latest));
    }

    public bool Contains(int partition, long sequence) => storage.Exists(RecordPath(partition, sequence));

    /// <summary>The partition's kept records, newest first.</summary>
    public IEnumerable<CommitRecord> Recent(int partition) =>
        Sequences(partition).OrderDescending().Select(sequence => Read(RecordPath(partition, sequence)));

    /// <summary>Appends the record unless another writer already committed that sequence (then false).</summary>
    public bool TryAppend(CommitRecord record)
    {
        var path = RecordPath(record.Partition, record.Sequence);
        var temp = $"{PartitionDirectory(record.Partition)}/.{record.Sequence:D12}.{Guid.NewGuid():N}.tmp";
        storage.Write(temp, stream => JsonSerializer.Serialize(stream, record, CommitRecordJsonContext.Default.CommitRecord));

        // No-replace rename: of two writers of the same sequence, exactly one wins.
        if (storage.TryRenameNoReplace(temp, path))
        {
            return true;
        }

        storage.Delete(temp);
        return false;
    }

    /// <summary>Deletes the record temps a writer left behind when it died before its rename.</summary>
    public void DeleteTemps(int partition)
    {
        foreach (var temp in storage.ListFiles(PartitionDirectory(partition), recursive: false)
            .Where(path => TableFiles.IsHidden(TableFiles.NameOf(path)) && path.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            storage.Delete(temp);
        }
    }

    /// <summary>Keeps the newest records; recovery needs only the latest.</summary>
    public void Prune(int partition)
    {
        foreach (var sequence in Sequences(partition).OrderDescending().Skip(RecordsKept))
        {
            storage.Delete(RecordPath(partition, sequence));
        }
    }

    private IEnumerable<long> Sequences(int partition) =>
        storage.ListFiles(PartitionDirectory(partition), recursive: false)
            .Where(path => path.EndsWith(".json", StringComparison.Ordinal))
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Select(name => long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : -1)
            .Where(sequence => sequence >= 0);

    private string RecordPath(int partition, long sequence) => $"{PartitionDirectory(partition)}/{sequence:D12}.json";

    private CommitRecord Read(string path)
    {
        using var stream = storage.OpenRead(path);
        return JsonSerializer.Deserialize(stream, CommitRecordJsonContext.Default.CommitRecord)
            ?? throw new InvalidDataException($"The commit record {path} is empty.");
    }
}
