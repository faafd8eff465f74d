using System.Diagnostics;
using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// The Spark compaction job (containers/spark/compaction) where no Spark runs: its plan, which decides what each run
/// rewrites and deletes, passes its own tests under python3, and the record it leaves for the stream processor is
/// one the stream processor reads.
/// </summary>
public sealed class SparkCompactionJobTests
{
    private static readonly string Job = Path.Combine(Repository.Root, "GameAnalytics.AppHost", "containers", "spark", "compaction");

    [Fact]
    public async Task The_plan_rewrites_only_closed_days_and_deletes_only_after_the_retention()
    {
        var (exitCode, output) = await PythonAsync("-m", "unittest", "-v", "test_compaction_plan");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Ran 10 tests", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stream_processor_reads_the_jobs_record_and_knows_the_files_were_replaced_not_lost()
    {
        var (exitCode, output) = await PythonAsync("-c", """
            import sys
            from datetime import datetime, timezone
            from compaction_plan import compaction_record
            record_id, record = compaction_record("join_guilds", "2026-12-03", {"p003-000000000007-70-79.parquet", "p001-000000000002-20-29.parquet"},
                                                  "join_guilds/_compacted/dt=2026-12-03/20261205T030000Z-ab12", datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc))
            sys.stdout.write(record_id + "\n" + record)
            """);
        Assert.True(exitCode == 0, output);
        var id = output[..output.IndexOf('\n')];

        using var lake = new TempDirectory();
        var storage = new LocalLakeStorage(lake.Path);
        storage.Write($"join_guilds/_compactions/{id}.json", stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(output[(id.Length + 1)..])));

        var record = CompactionRecord.Read(storage, $"join_guilds/_compactions/{id}.json");
        Assert.Equal(new DateOnly(2026, 12, 3), record.Dt);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero), record.CommittedAt);
        var state = CompactionState.Read(storage, "join_guilds");
        Assert.True(state.WasReplaced("join_guilds/dt=2026-12-03/p003-000000000007-70-79.parquet"));
        Assert.True(state.WasReplaced("join_guilds/dt=2026-12-03/p001-000000000002-20-29.parquet"));
        Assert.False(state.WasReplaced("join_guilds/dt=2026-12-03/p002-000000000001-10-19.parquet"));
    }

    private static async Task<(int ExitCode, string Output)> PythonAsync(params string[] arguments)
    {
        var result = await CommandLine.RunAsync(new ProcessStartInfo("python3", arguments)
        {
            WorkingDirectory = Job,
            // The job's folder is mounted read-only into Spark's container: leave no __pycache__ in it.
            Environment = { ["PYTHONDONTWRITEBYTECODE"] = "1" },
        }, TimeSpan.FromMinutes(1));
        return (result.ExitCode, result.Output + result.Error);
    }
}
