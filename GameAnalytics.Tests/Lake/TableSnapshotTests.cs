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

    public void Dispose() => _lake.Dispose();
}
