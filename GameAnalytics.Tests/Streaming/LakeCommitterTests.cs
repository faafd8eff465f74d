using System.Text;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Streaming.Compaction;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GameAnalytics.Tests.Streaming;

/// <summary>Crashes injected at every step of a commit: after recovery each event is in the lake exactly once.</summary>
public sealed class LakeCommitterTests : IDisposable
{
    private const int Partition = 3;

    private readonly TempDirectory _lake = new();

    [Theory]
    [InlineData(CommitStep.BeforeWrite)]
    [InlineData(CommitStep.DuringWrite)]
    [InlineData(CommitStep.BeforeCommitRecord)]
    [InlineData(CommitStep.AfterCommitRecord)]
    [InlineData(CommitStep.AfterPublish)]
    public void A_crash_at_any_step_lands_each_event_exactly_once_after_recovery(CommitStep crashAt)
    {
        var first = Records(firstOffset: 0, count: 40);
        var second = Records(firstOffset: 40, count: 40);
        var committer = NewCommitter();
        Assert.NotNull(committer.Commit(Partition, 0, 0, 39, "f0", first));

        committer.OnStep = step =>
        {
            if (step == crashAt)
            {
                throw new SimulatedCrash();
            }
        };
        Assert.Throws<SimulatedCrash>(() => committer.Commit(Partition, 1, 40, 79, "f1", second));

        // A new process: recover, then consume again from where the lake says.
        var restarted = NewCommitter();
        var latest = restarted.Recover(Partition)!;
        if (latest.NextOffset == 40)
        {
            Assert.NotNull(restarted.Commit(Partition, latest.Sequence + 1, 40, 79, "f1", second));
        }

        using var lake = new LakeQuery(_lake.Path);
        var landed = lake.EventIds("sword_purchases").Concat(lake.EventIds("join_guilds")).Order().ToList();
        Assert.Equal(EventIds(first).Concat(EventIds(second)).Order(), landed);
        Assert.Empty(Directory.EnumerateFiles(_lake.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Of_two_writers_of_the_same_sequence_at_once_only_one_commits()
    {
        var expected = new List<string>();
        for (var partition = 0; partition < 20; partition++)
        {
            var batches = new[] { Records(firstOffset: 0, count: 10), Records(firstOffset: 0, count: 10) };
            var committers = new[] { NewCommitter(), NewCommitter() };
            var results = new CommitRecord?[2];
            using var start = new Barrier(2);
            var writers = Enumerable.Range(0, 2).Select(i => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                results[i] = committers[i].Commit(partition, 0, 0, 9, "a", batches[i]);
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(writers);

            var winner = Assert.Single(Enumerable.Range(0, 2), i => results[i] is not null);
            expected.AddRange(EventIds(batches[winner]));
        }

        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(expected.Order(), lake.EventIds("sword_purchases").Concat(lake.EventIds("join_guilds")).Order());
        Assert.Empty(Directory.EnumerateFiles(_lake.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Files_are_invisible_to_readers_until_committed()
    {
        var committer = NewCommitter();
        committer.OnStep = step =>
        {
            if (step == CommitStep.BeforeCommitRecord)
            {
                // Written but uncommitted: the files exist only under hidden names.
                Assert.NotEmpty(Directory.EnumerateFiles(_lake.Path, ".*.tmp", SearchOption.AllDirectories));
                Assert.Empty(Directory.EnumerateFiles(_lake.Path, "*.parquet", SearchOption.AllDirectories));
            }
        };

        committer.Commit(Partition, 0, 0, 9, "a", Records(firstOffset: 0, count: 10));

        Assert.Equal(2, Directory.EnumerateFiles(_lake.Path, "*.parquet", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void Recovery_accepts_a_latest_commit_whose_files_compaction_has_since_replaced()
    {
        var committer = NewCommitter();
        for (var batch = 0; batch < 10; batch++)
        {
            committer.Commit(Partition, batch, batch * 10, batch * 10 + 9, "f", Records(firstOffset: batch * 10, count: 10));
        }

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var compactor = new LakeCompactor(new LocalLakeStorage(_lake.Path), Options.Create(new CompactionOptions()), clock, NullLogger<LakeCompactor>.Instance);
        compactor.Compact("sword_purchases");
        clock.Advance(TimeSpan.FromHours(1));
        compactor.Compact("sword_purchases");

        var restarted = NewCommitter();
        var missing = new List<string>();
        restarted.FilesMissing += (_, files) => missing.AddRange(files);
        var latest = restarted.Recover(Partition);

        Assert.Equal(100, latest.NextOffset);
        Assert.Empty(missing);
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(50, lake.EventIds("sword_purchases").Count);
    }

    [Fact]
    public void An_owner_stalled_with_a_staged_batch_cannot_commit_it_after_another_took_the_partition_over()
    {
        var stalled = NewCommitter();
        var next = NewCommitter();
        var ownership = stalled.Recover(Partition);
        var records = Records(firstOffset: 0, count: 20);
        CommitRecord? takenOver = null;
        // Staged, not yet committed: the owner stalls past its session, and the next owner recovers the partition.
        stalled.OnStep = step =>
        {
            if (step == CommitStep.BeforeCommitRecord)
            {
                takenOver = next.Recover(Partition);
            }
        };

        var stale = stalled.Commit(Partition, ownership.Sequence + 1, 0, 19, "f", records, ownership.Epoch);

        Assert.Null(stale);
        Assert.False(takenOver!.HasLanded);
        Assert.NotNull(next.Commit(Partition, takenOver.Sequence + 1, 0, 19, "f", records, takenOver.Epoch));
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(EventIds(records).Order(), lake.EventIds("sword_purchases").Concat(lake.EventIds("join_guilds")).Order());
        Assert.Empty(Directory.EnumerateFiles(_lake.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_commit_whose_files_are_gone_is_reported_as_lost_never_skipped()
    {
        var committer = NewCommitter();
        committer.OnStep = step =>
        {
            if (step == CommitStep.AfterCommitRecord)
            {
                // Committed, not yet published, and then its staged files vanish (deleted by hand, or by a bug).
                foreach (var staged in Directory.EnumerateFiles(_lake.Path, ".p*.tmp", SearchOption.AllDirectories))
                {
                    File.Delete(staged);
                }

                throw new SimulatedCrash();
            }
        };
        Assert.Throws<SimulatedCrash>(() => committer.Commit(Partition, 0, 0, 9, "f", Records(firstOffset: 0, count: 10)));

        var restarted = NewCommitter();
        var missing = new List<string>();
        restarted.FilesMissing += (_, files) => missing.AddRange(files);
        restarted.Recover(Partition);

        Assert.Equal(2, missing.Count);
        Assert.All(missing, path => Assert.EndsWith(".parquet", path));
    }

    [Fact]
    public void Recovery_deletes_a_commit_record_temp_left_by_a_writer_that_died_before_its_rename()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        var log = new CommitLog(storage, "events");
        var leaked = $"{log.PartitionDirectory(Partition)}/.000000000007.{Guid.NewGuid():N}.tmp";
        storage.Write(leaked, stream => stream.WriteByte((byte)'{'));

        NewCommitter().Recover(Partition);

        Assert.False(storage.Exists(leaked));
    }

    private LakeCommitter NewCommitter()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        return new(storage, new CommitLog(storage, "events"), new ParquetTableWriter(), TimeProvider.System);
    }

    /// <summary>Alternating sword purchases and guild joins, so each batch writes two files.</summary>
    private static LandingRows Records(long firstOffset, int count)
    {
        var rows = new LandingRows(["sword_purchases", "join_guilds"]);
        for (var i = 0; i < count; i++)
        {
            var type = i % 2 == 0 ? "purchase_sword" : "join_guild";
            var table = i % 2 == 0 ? "sword_purchases" : "join_guilds";
            rows.Add(table, new LandedEvent(
                "{}", "2026-11-29 20:00:00.000", "*/*", "user1.datafun.com", "tests", type, Guid.CreateVersion7().ToString(), "user1.datafun.com",
                new DateTime(2026, 11, 29, 20, 0, 0, DateTimeKind.Utc), null, null, Partition, firstOffset + i));
        }

        return rows;
    }

    private static IEnumerable<string> EventIds(LandingRows rows) =>
        Enumerable.Range(0, rows.Events.Count).Select(i => Encoding.UTF8.GetString(rows.Events.Text(rows.Events[i].EventId)));

    public void Dispose() => _lake.Dispose();

    private sealed class SimulatedCrash : Exception;
}
