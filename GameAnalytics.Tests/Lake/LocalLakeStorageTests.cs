using GameAnalytics.Lake.Storage;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Lake;

public sealed class LocalLakeStorageTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    [Fact]
    public async Task Of_many_renames_to_one_name_at_once_exactly_one_wins_and_keeps_its_content()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        for (var round = 0; round < 50; round++)
        {
            var target = $"commits/{round:D3}.json";
            var writers = Enumerable.Range(0, 4).Select(writer => $"commits/.{round:D3}.{writer}.tmp").ToList();
            foreach (var (staged, writer) in writers.Select((staged, writer) => (staged, writer)))
            {
                storage.Write(staged, stream => stream.WriteByte((byte)writer));
            }

            using var start = new Barrier(writers.Count);
            var won = await Task.WhenAll(writers.Select(staged => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return storage.TryRenameNoReplace(staged, target);
            }, TaskCreationOptions.LongRunning)));

            var winner = Assert.Single(Enumerable.Range(0, won.Length), writer => won[writer]);
            using var committed = storage.OpenRead(target);
            Assert.Equal(winner, committed.ReadByte());
            Assert.False(storage.Exists(writers[winner]), "the winner's staged name is gone");
        }
    }

    [Fact]
    public void Lists_files_and_folders_as_paths_from_the_root()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        storage.Write("sword_purchases/dt=2026-12-03/a.parquet", stream => stream.WriteByte(1));
        storage.Write("sword_purchases/_compactions/1.json", stream => stream.WriteByte(1));

        Assert.Equal(["sword_purchases/_compactions", "sword_purchases/dt=2026-12-03"], storage.ListDirectories("sword_purchases").Order());
        Assert.Equal(["sword_purchases/_compactions/1.json", "sword_purchases/dt=2026-12-03/a.parquet"], storage.ListFiles("sword_purchases", recursive: true).Order());
        Assert.Empty(storage.ListFiles("missing", recursive: true));
        Assert.Equal(1, storage.Status("sword_purchases/dt=2026-12-03/a.parquet")!.Length);
        Assert.Null(storage.Status("sword_purchases/dt=2026-12-03/b.parquet"));
    }

    [Fact]
    public void A_lock_is_held_until_released()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        using (var held = storage.TryLock("t/_compactions/.lock"))
        {
            Assert.NotNull(held);
            Assert.Null(storage.TryLock("t/_compactions/.lock"));
        }

        using var again = storage.TryLock("t/_compactions/.lock");
        Assert.NotNull(again);
    }

    public void Dispose() => _lake.Dispose();
}
