using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameAnalytics.Events.Lake;

/// <summary>
/// One compaction of a table partition: the file that replaces the others. Writing this record is the
/// switch from the old set of files to the new one, for every reader that takes a <see cref="TableSnapshot"/>.
/// </summary>
public sealed record CompactionRecord(string Id, string Table, DateOnly Dt, IReadOnlyList<string> Removed, string Added, DateTimeOffset CommittedAt)
{
    public const string DirectoryName = "_compactions";

    public static string DirectoryOf(string lakeRoot, string table) => Path.Combine(lakeRoot, table, DirectoryName);

    public static IEnumerable<CompactionRecord> ReadAll(string lakeRoot, string table)
    {
        var directory = DirectoryOf(lakeRoot, table);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            using var stream = File.OpenRead(path);
            yield return JsonSerializer.Deserialize(stream, CompactionRecordJsonContext.Default.CompactionRecord)
                ?? throw new InvalidDataException($"The compaction record {path} is empty.");
        }
    }

    /// <summary>Writes the record under a temporary name and renames it into place: all or nothing.</summary>
    public void Write(string lakeRoot)
    {
        var directory = DirectoryOf(lakeRoot, Table);
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Id}.json.tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, this, CompactionRecordJsonContext.Default.CompactionRecord);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path.Combine(directory, $"{Id}.json"), overwrite: false);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CompactionRecord))]
internal sealed partial class CompactionRecordJsonContext : JsonSerializerContext;
