using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using System.Diagnostics.Metrics;
using GameAnalytics.Streaming.Compaction;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GameAnalytics.Tests.Streaming;

public sealed class LakeCompactorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _lake = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly List<string> _landed = [];

    [Fact]
    public void Merges_small_files_into_one_and_queries_see_the_same_rows()
    {
        Land(batches: 12, perBatch: 50);
        using var lake = new LakeQuery(_lake.Path);
        var before = lake.Rows($"select event_id, received_at, host, \"user-agent\", dt from {lake.Table("sword_purchases")} order by event_id");

        var made = NewCompactor().Compact("sword_purchases");

        var compaction = Assert.Single(made!);
        Assert.Equal(12, compaction.Removed.Count);
        Assert.Single(TableSnapshot.Files(new LocalLakeStorage(_lake.Path), "sword_purchases"));
        var after = lake.Rows($"select event_id, received_at, host, \"user-agent\", dt from {lake.Table("sword_purchases")} order by event_id");
        Assert.Equal(before, after);
        Assert.Equal(600L, lake.Scalar<long>($"select count(*) from {lake.Table("sword_purchases")} where received_at >= TIMESTAMPTZ '2026-11-29 00:00:00+00'"));
    }

    [Fact]
    public void Leaves_a_partition_of_today_with_few_files_alone_but_compacts_a_closed_day_whole()
    {
        Land(batches: 3, perBatch: 10);
        Assert.Empty(NewCompactor().Compact("sword_purchases")!);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Single(NewCompactor().Compact("sword_purchases")!);
        Assert.Single(TableSnapshot.Files(new LocalLakeStorage(_lake.Path), "sword_purchases"));
    }

    [Fact]
    public void A_partition_of_today_takes_in_new_files_without_rewriting_a_larger_file_until_the_day_closes()
    {
        Land(batches: 10, perBatch: 500);
        var large = Assert.Single(NewCompactor().Compact("sword_purchases")!).Added;
        Land(batches: 10, perBatch: 10);

        var made = Assert.Single(NewCompactor().Compact("sword_purchases")!);

        Assert.Equal(10, made.Removed.Count);
        Assert.DoesNotContain(large, made.Removed);
        Assert.Equal(2, TableSnapshot.Files(new LocalLakeStorage(_lake.Path), "sword_purchases").Count);
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Contains(large, Assert.Single(NewCompactor().Compact("sword_purchases")!).Removed);
        Assert.Single(TableSnapshot.Files(new LocalLakeStorage(_lake.Path), "sword_purchases"));
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public void Replaced_files_are_deleted_only_after_the_retention_period()
    {
        Land(batches: 10, perBatch: 5);
        var compactor = NewCompactor();
        var compaction = Assert.Single(compactor.Compact("sword_purchases")!);
        Assert.All(compaction.Removed, file => Assert.True(File.Exists(Path.Combine(_lake.Path, file))));

        _clock.Advance(TimeSpan.FromMinutes(11));
        compactor.Compact("sword_purchases");

        Assert.All(compaction.Removed, file => Assert.False(File.Exists(Path.Combine(_lake.Path, file))));
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());
    }

    [Theory]
    [InlineData(CompactionStep.BeforeMerge)]
    [InlineData(CompactionStep.AfterMerge)]
    [InlineData(CompactionStep.AfterRename)]
    [InlineData(CompactionStep.AfterRecord)]
    public void A_crash_at_any_step_loses_and_duplicates_nothing(CompactionStep crashAt)
    {
        Land(batches: 10, perBatch: 20);
        var crashing = NewCompactor();
        crashing.OnStep = step =>
        {
            if (step == crashAt)
            {
                throw new IOException("simulated crash");
            }
        };
        Assert.Throws<IOException>(() => crashing.Compact("sword_purchases"));
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());

        NewCompactor().Compact("sword_purchases");

        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());
        Assert.Single(TableSnapshot.Files(new LocalLakeStorage(_lake.Path), "sword_purchases"));
        Assert.Empty(Directory.EnumerateFiles(_lake.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Readers_see_every_row_exactly_once_while_compaction_runs()
    {
        const int Compactions = 4;
        Land(batches: 10, perBatch: 25);
        var landed = _landed.Count;
        // Rows whose landing has begun: a file is visible from its rename, a moment before it counts as landed.
        var begun = landed;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        // Rows keep landing while compactions run: each read must hold every row landed before it, and none twice.
        var reader = Task.Run(() =>
        {
            using var lake = new LakeQuery(_lake.Path);
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var before = Volatile.Read(ref landed);
                var counts = lake.Rows($"select count(*), count(distinct event_id) from {lake.Table("sword_purchases")}")[0];
                var after = Volatile.Read(ref begun);
                Assert.Equal(counts[1], counts[0]);
                Assert.InRange((long)counts[0]!, before, after);
                reads++;
            }

            return reads;
        });
        var lander = Task.Run(() =>
        {
            var sequence = 1000;
            while (!stop.IsCancellationRequested)
            {
                var ids = Enumerable.Range(0, 25).Select(_ => Guid.CreateVersion7().ToString()).ToList();
                Interlocked.Add(ref begun, ids.Count);
                Write(sequence++, ids);
                lock (_landed)
                {
                    _landed.AddRange(ids);
                }

                Interlocked.Add(ref landed, ids.Count);
                Thread.Sleep(5);
            }
        });

        var compactor = NewCompactor();
        // Also read at the switch's edges, where a reader racing the compactor may not happen to be.
        var edgeReads = 0;
        compactor.OnStep = step =>
        {
            if (step is CompactionStep.AfterRename or CompactionStep.AfterRecord)
            {
                using var lake = new LakeQuery(_lake.Path);
                var before = Volatile.Read(ref landed);
                var counts = lake.Rows($"select count(*), count(distinct event_id) from {lake.Table("sword_purchases")}")[0];
                Assert.Equal(counts[1], counts[0]);
                Assert.InRange((long)counts[0]!, before, Volatile.Read(ref begun));
                edgeReads++;
            }
        };
        var made = 0;
        while (made < Compactions && !stop.IsCancellationRequested)
        {
            made += compactor.Compact("sword_purchases")?.Count ?? 0;
        }

        // A few more reads after the last switch, then stop.
        await Task.Delay(300);
        await stop.CancelAsync();
        await lander;
        Assert.Equal(Compactions, made);
        Assert.Equal(2 * Compactions, edgeReads);
        Assert.True(await reader > Compactions);

        using var final = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Order(), final.EventIds("sword_purchases").Order());
    }

    [Fact]
    public void Drops_client_retries_that_the_landing_window_missed()
    {
        Land(batches: 10, perBatch: 10);
        var duplicate = _landed[3];
        Write(sequence: 99, [duplicate]);

        NewCompactor().Compact("sword_purchases");

        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public void Keeps_the_events_of_two_players_whose_clients_chose_the_same_event_id()
    {
        Land(batches: 10, perBatch: 10);
        var shared = _landed[3];
        LandedEvents.Write(_lake.Path, "sword_purchases", 99,
            [LandedEvents.Create("purchase_sword", "another-player", new DateTime(2026, 11, 29, 19, 30, 0, DateTimeKind.Utc), 99_000, shared)]);

        NewCompactor().Compact("sword_purchases");

        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Append(shared).Order(), lake.EventIds("sword_purchases").Order());
        Assert.Single(TableSnapshot.Files(new LocalLakeStorage(_lake.Path), "sword_purchases"));
    }

    [Fact]
    public void A_growing_day_rewrites_each_row_a_bounded_number_of_times()
    {
        const int Rounds = 40;
        var compactor = NewCompactor();
        using var lake = new LakeQuery(_lake.Path);
        long rewritten = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // A minute of landing, then the compactor's run: the day only grows.
            Land(batches: 10, perBatch: 200);
            foreach (var compaction in compactor.Compact("sword_purchases")!)
            {
                // Replaced files stay for the retention, so their rows can still be counted.
                rewritten += lake.Scalar<long>($"select count(*) from read_parquet([{string.Join(", ", compaction.Removed.Select(path => $"'{Path.Combine(_lake.Path, path)}'"))}])");
            }
        }

        // 400 files of 200 rows: merged 10 at a time, then those 10 at a time, so each row is rewritten twice. Merging
        // by doubling sizes (before size tiers) rewrote 3.3 times here, and more the longer the day.
        var perRow = rewritten / (double)_landed.Count;
        Assert.InRange(perRow, 1, 2.5);
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public void A_checkpoint_folds_the_records_in_and_snapshots_read_it_and_the_few_records_after_it()
    {
        var storage = new LocalLakeStorage(_lake.Path);
        var compactor = NewCompactor();
        var made = 0;
        while (made < 2 * CompactionCheckpoint.Every + 5)
        {
            Land(batches: 10, perBatch: 20);
            made += compactor.Compact("sword_purchases")!.Count;
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Past the retention, the next run deletes the replaced files and the records the newest checkpoint folds in.
        _clock.Advance(new CompactionOptions().RetainReplacedFiles);
        compactor.Compact("sword_purchases");

        var state = CompactionState.Read(storage, "sword_purchases");
        Assert.NotNull(state.Checkpoint);
        Assert.InRange(state.Records.Count, 0, CompactionCheckpoint.Every - 1);
        Assert.InRange(storage.ListFiles(CompactionRecord.DirectoryOf("sword_purchases"), recursive: false).Count(), 1, CompactionCheckpoint.Every + 1);
        using var lake = new LakeQuery(_lake.Path);
        Assert.Equal(_landed.Order(), lake.EventIds("sword_purchases").Order());
    }

    [Fact]
    public async Task Waits_while_landing_is_behind_and_compacts_once_it_caught_up()
    {
        Land(batches: 12, perBatch: 10);
        var storage = new LocalLakeStorage(_lake.Path);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new StreamingTelemetry(services.GetRequiredService<IMeterFactory>());
        var options = Options.Create(new CompactionOptions { Interval = TimeSpan.FromMilliseconds(50), MaxLandingLag = 100_000 });
        using var service = new CompactionService(NewCompactor(), RandomEnvelopes.Router, options, telemetry, NullLogger<CompactionService>.Instance);

        telemetry.ReportLag(new Dictionary<int, long> { [0] = 90_000, [1] = 10_001 });
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(12, TableSnapshot.Files(storage, "sword_purchases").Count);

        telemetry.ReportLag(new Dictionary<int, long> { [0] = 90_000, [1] = 10_000 });
        await StreamingHost.WaitUntilAsync(() => TableSnapshot.Files(storage, "sword_purchases").Count == 1, "the run after landing caught up compacts");
        await service.StopAsync(CancellationToken.None);
    }

    private LakeCompactor NewCompactor() =>
        new(new LocalLakeStorage(_lake.Path), Options.Create(new CompactionOptions()), _clock, NullLogger<LakeCompactor>.Instance);

    /// <returns>The files, from the lake's root.</returns>
    private List<string> Land(int batches, int perBatch)
    {
        var files = new List<string>();
        for (var batch = 0; batch < batches; batch++)
        {
            var ids = Enumerable.Range(0, perBatch).Select(_ => Guid.CreateVersion7().ToString()).ToList();
            _landed.AddRange(ids);
            files.Add(Write(_landed.Count, ids));
        }

        return files;
    }

    private string Write(long sequence, IReadOnlyList<string> eventIds)
    {
        var rows = eventIds.Select((id, i) => LandedEvents.Create(
            "purchase_sword", $"user{i % 3 + 1}.datafun.com", new DateTime(2026, 11, 29, 19, 0, i % 60, DateTimeKind.Utc), sequence * 1000 + i, id)).ToList();
        return Path.GetRelativePath(_lake.Path, LandedEvents.Write(_lake.Path, "sword_purchases", sequence, rows)).Replace('\\', '/');
    }

    public void Dispose() => _lake.Dispose();
}
