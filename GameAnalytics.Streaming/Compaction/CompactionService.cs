using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Diagnostics;
using GameAnalytics.Streaming.Routing;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Streaming.Compaction;

/// <summary>Runs the compactor over every table on a timer.</summary>
internal sealed partial class CompactionService(
    LakeCompactor compactor,
    TableRouter router,
    IOptions<CompactionOptions> options,
    StreamingTelemetry telemetry,
    ILogger<CompactionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (options.Value.MaxLandingLag > 0 && telemetry.Lag > options.Value.MaxLandingLag)
            {
                // Merging competes with landing for the CPU and the disk; it can wait, the events in Kafka cannot.
                LogYielded(telemetry.Lag);
                telemetry.CompactionsYielded.Add(1);
                continue;
            }

            foreach (var table in router.Tables.Append(TableNames.Rejected))
            {
                try
                {
                    var made = await Task.Run(() => compactor.Compact(table), stoppingToken);
                    telemetry.FilesCompacted.Add(made?.Sum(compaction => compaction.Removed.Count) ?? 0);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next run starts again from the lake's state; nothing is lost by a failed run.
                    LogFailed(ex, table);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction waits for its next run: landing is {Lag} records behind")]
    private partial void LogYielded(long lag);

    [LoggerMessage(Level = LogLevel.Error, Message = "Compacting {Table} failed; it is retried at the next run")]
    private partial void LogFailed(Exception exception, string table);
}
