using System.Text.Json;
using System.Text.Json.Serialization;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

namespace GameAnalytics.Lake.Compactions;

/// <summary>
/// One compaction of a table partition: the file that replaces the others. Writing this record is the
/// switch from the old set of files to the new one, for every reader that takes a <see cref="TableSnapshot"/>.
/// Records live in <c>&lt;table&gt;/_compactions/</c>, hidden from the engines, beside the checkpoints that fold them
/// in (<see cref="CompactionCheckpoint"/>); <see cref="CompactionState"/> reads both.
/// </summary>
public sealed record CompactionRecord(string Id, string Table, DateOnly Dt, IReadOnlyList<string> Removed, string Added, DateTimeOffset CommittedAt)
{
    public static string DirectoryOf(string table) => $"{table}/_compactions";

    /// <summary>The lock a compactor of the table holds.</summary>
    public static string LockOf(string table) => $"{DirectoryOf(table)}/.lock";

    /// <summary>The id a record's file is named after.</summary>
    public static string IdOf(string path) => Path.GetFileNameWithoutExtension(path);

    public static CompactionRecord Read(ILakeStorage storage, string path)
    {
        using var stream = storage.OpenRead(path);
        return JsonSerializer.Deserialize(stream, CompactionRecordJsonContext.Default.CompactionRecord)
            ?? throw new InvalidDataException($"The compaction record {path} is empty.");
    }

    /// <summary>Writes the record under a temporary name and renames it into place: all or nothing.</summary>
    public void Write(ILakeStorage storage)
    {
        var temp = $"{DirectoryOf(Table)}/.{Id}.json.tmp";
        storage.Write(temp, stream => JsonSerializer.Serialize(stream, this, CompactionRecordJsonContext.Default.CompactionRecord));
        if (!storage.TryRenameNoReplace(temp, $"{DirectoryOf(Table)}/{Id}.json"))
        {
            storage.Delete(temp);
            throw new IOException($"A compaction record {Id} of {Table} already exists.");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CompactionRecord))]
internal sealed partial class CompactionRecordJsonContext : JsonSerializerContext;
