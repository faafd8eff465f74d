using System.Text.Json.Serialization;

namespace GameAnalytics.Lake.Commits;

/// <summary>
/// One landed batch of one Kafka partition: its offsets and the Parquet files that hold them.
/// Writing this record is the batch's commit point; sequences have no gaps, so two writers cannot both commit.
/// <see cref="LastRecordFingerprint"/> identifies the record at <see cref="LastOffset"/>, so that a new broker or topic,
/// whose offsets start again at 0, is noticed.
/// </summary>
public sealed record CommitRecord(
    int Partition,
    long Sequence,
    long FirstOffset,
    long LastOffset,
    string LastRecordFingerprint,
    string StagingToken,
    IReadOnlyList<string> Files,
    DateTimeOffset CommittedAt)
{
    public long NextOffset => LastOffset + 1;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CommitRecord))]
internal sealed partial class CommitRecordJsonContext : JsonSerializerContext;
