using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>Runs the <see cref="DevKafkaBroker"/> for the lifetime of the host.</summary>
public sealed partial class DevBrokerService(
    IOptions<DevBrokerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DevBrokerService> logger) : IHostedLifecycleService
{
    public DevKafkaBroker? Broker { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Broker = DevKafkaBroker.Start(options.Value);
        }
        catch (PortInUseException ex)
        {
            // One clear line and a non-zero exit, rather than a failed start's stack traces.
            LogPortInUse(ex.Port, ex.Message);
            Environment.ExitCode = 2;
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
            return Task.CompletedTask;
        }

        foreach (var (topic, partitions) in Broker.Topics)
        {
            LogTopicCreated(topic, partitions);
        }

        LogStarted(Broker.BootstrapServers);
        return Task.CompletedTask;
    }

    /// <summary>Gives up waiting when the group's commits have not moved for this long: longer than its 5 s auto-commit interval.</summary>
    private static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(10);

    /// <summary>Before any service of the host stops (the trimmer and the guard may take a moment): refuse new records.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (Broker is not null && options.Value.DrainTimeout > TimeSpan.Zero)
        {
            Broker.RefuseNewRecords();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Broker is null)
        {
            return;
        }

        // Everything the broker holds goes with it: first let the stream processor land it.
        if (options.Value.DrainTimeout > TimeSpan.Zero)
        {
            await DrainAsync(Broker, cancellationToken);
        }

        await Broker.DisposeAsync();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DrainAsync(DevKafkaBroker broker, CancellationToken cancellationToken)
    {
        var drain = options.Value;
        using var lag = new GroupLag(broker.BootstrapServers, drain.DrainGroup, broker.Topics.Keys);
        var started = Stopwatch.GetTimestamp();
        var progressed = started;
        var fewest = long.MaxValue;
        long? uncommitted = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                uncommitted = await lag.UncommittedAsync();
            }
            catch (KafkaException ex)
            {
                LogLagUnknown(ex.Error.Reason);
            }

            if (uncommitted == 0)
            {
                LogDrained(drain.DrainGroup, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return;
            }

            if (uncommitted < fewest)
            {
                if (fewest == long.MaxValue)
                {
                    LogDraining(uncommitted.Value, drain.DrainGroup);
                }

                fewest = uncommitted.Value;
                progressed = Stopwatch.GetTimestamp();
            }

            if (Stopwatch.GetElapsedTime(started) >= drain.DrainTimeout || Stopwatch.GetElapsedTime(progressed) >= StalledAfter)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }

        LogLost(uncommitted?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of", drain.DrainGroup, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Dev broker cannot start on port {Port}. {Reason}")]
    private partial void LogPortInUse(int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partitions")]
    private partial void LogTopicCreated(string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: new records are refused until group {Group} has committed the {Records} records it has not landed yet")]
    private partial void LogDraining(long records, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: group {Group} has committed every record, after {Seconds:F1} s")]
    private partial void LogDrained(string group, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the consumer group's offsets: {Reason}")]
    private partial void LogLagUnknown(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message =
        "Stopping after {Seconds:F1} s with {Records} records that group {Group} had not committed: those not in the lake yet are lost")]
    private partial void LogLost(string records, string group, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Dev Kafka broker listening on {BootstrapServers}. It keeps messages in memory only: a stop waits for the stream processor " +
        "to land them, but a kill loses what was not landed yet. Real Kafka runs in the containers topology.")]
    private partial void LogStarted(string bootstrapServers);
}
