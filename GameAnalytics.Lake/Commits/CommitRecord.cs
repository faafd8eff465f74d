using System.Text.Json.Serialization;

namespace GameAnalytics.Lake.Commits;

/// <summary>
/// One landed batch of one Kafka partition: its offsets and the Parquet files that hold them.
/// Writing this record is the batch's commit point; sequences have no gaps, so two writers cannot both commit.
/// <see cref="LastRecordFingerprint"/> identifies the record at <see cref="LastOffset"/>, so that a new broker or topic,
/// whose offsets start again at 0, is noticed.
/// <see cref="Epoch"/> is the writer's ownership of the partition: the sequence of the record that began it (a
/// <see cref="Takeover"/>, which lands nothing and fences off every older owner's next commit).
/// </summary>
public sealed record CommitRecord(
    int Partition,
    long Sequence,
    long FirstOffset,
    long LastOffset,
    string LastRecordFingerprint,
    string StagingToken,
    IReadOnlyList<string> Files,
    DateTimeOffset CommittedAt,
    long Epoch = 0)
{
    public long NextOffset => LastOffset + 1;

    /// <summary>Whether any offset has landed up to this record; a takeover of a new partition has none.</summary>
    [JsonIgnore]
    public bool HasLanded => LastOffset >= 0;

    /// <summary>The record a new owner appends after <paramref name="latest"/> (or first): it lands nothing and starts epoch <see cref="Sequence"/>.</summary>
    public static CommitRecord Takeover(int partition, CommitRecord? latest, DateTimeOffset now)
    {
        var sequence = latest is null ? 0 : latest.Sequence + 1;
        var lastOffset = latest?.LastOffset ?? -1;
        return new CommitRecord(partition, sequence, lastOffset + 1, lastOffset, latest?.LastRecordFingerprint ?? "", "", [], now, Epoch: sequence);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CommitRecord))]
internal sealed partial class CommitRecordJsonContext : JsonSerializerContext;
