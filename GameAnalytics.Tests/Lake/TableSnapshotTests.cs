using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Lake;

public sealed class TableSnapshotTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    [Fact]
    public void Shows_the_files_before_a_compaction_or_after_it_never_both_and_never_staged_ones()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        var partition = TableFiles.PartitionDirectory(TableNames.SwordPurchases, new DateOnly(2026, 12, 3));
        var landed = Enumerable.Range(0, 3).Select(sequence => TableFiles.RelativePath(TableNames.SwordPurchases, new DateOnly(2026, 12, 3), 0, sequence, sequence * 10, sequence * 10 + 9)).ToList();
        foreach (var file in landed)
        {
            storage.Write(file, stream => stream.WriteByte(1));
        }

        storage.Write(TableFiles.TempPath(TableFiles.RelativePath(TableNames.SwordPurchases, new DateOnly(2026, 12, 3), 0, 3, 30, 39), "token"), stream => stream.WriteByte(1));
        var compacted = TableFiles.CompactedPath(partition, "merge1");
        storage.Write(compacted, stream => stream.WriteByte(1));

        // The compaction's output exists but its record does not: readers still see the landed files.
        Assert.Equal(landed, TableSnapshot.Files(storage, TableNames.SwordPurchases));

        new CompactionRecord("merge1", TableNames.SwordPurchases, new DateOnly(2026, 12, 3), landed[..2], compacted, DateTimeOffset.UtcNow).Write(storage);

        Assert.Equal([compacted, landed[2]], TableSnapshot.Files(storage, TableNames.SwordPurchases).Order());
        Assert.Equal([TableNames.SwordPurchases], new LakeTables(storage).Names());
    }

    [Fact]
    public void A_checkpoint_hides_what_its_records_hid_and_remembers_each_partitions_newest_replaced_batch()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        var day = new DateOnly(2026, 12, 3);
        var partition = TableFiles.PartitionDirectory(TableNames.SwordPurchases, day);
        var landed = Enumerable.Range(0, 6).Select(sequence => TableFiles.RelativePath(TableNames.SwordPurchases, day, sequence % 2, sequence, sequence * 10, sequence * 10 + 9)).ToList();
        var (first, second) = (TableFiles.CompactedPath(partition, "merge1"), TableFiles.CompactedPath(partition, "merge2"));
        foreach (var file in landed.Append(first).Append(second))
        {
            storage.Write(file, stream => stream.WriteByte(1));
        }

        var replacedAt = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        new CompactionRecord("merge1", TableNames.SwordPurchases, day, landed[..4], first, replacedAt).Write(storage);
        new CompactionRecord("merge2", TableNames.SwordPurchases, day, [first, landed[4]], second, replacedAt.AddMinutes(1)).Write(storage);
        var before = TableSnapshot.Files(storage, TableNames.SwordPurchases);

        // Folded in, the records' files deleted, and merge1's replaced files past their retention and deleted.
        var checkpoint = CompactionCheckpoint.Fold(CompactionState.Read(storage, TableNames.SwordPurchases), [], replacedAt, replacedAt.AddMinutes(2), TableNames.SwordPurchases);
        checkpoint.Write(storage);
        foreach (var record in new[] { "merge1", "merge2" })
        {
            storage.Delete($"{CompactionRecord.DirectoryOf(TableNames.SwordPurchases)}/{record}.json");
        }

        landed[..4].ForEach(storage.Delete);
        var state = CompactionState.Read(storage, TableNames.SwordPurchases);

        Assert.Empty(state.Records);
        Assert.Equal(before, TableSnapshot.Files(storage, TableNames.SwordPurchases));
        Assert.Equal([second, landed[5]], before);
        Assert.Equal([second], checkpoint.Added);
        Assert.Equal([first, landed[4]], checkpoint.Replaced.Select(file => file.Path));
        // Each partition's newest replaced batch stays known after its file and record are gone (0: sequence 4; 1: 3).
        Assert.Equal([landed[4], landed[3]], checkpoint.LastBatchesReplaced);
        Assert.True(state.WasReplaced(landed[3]));
        Assert.False(state.WasReplaced(landed[1]));
    }

    public void Dispose() => _lake.Dispose();
}
