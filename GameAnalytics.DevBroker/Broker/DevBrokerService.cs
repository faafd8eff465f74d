using Microsoft.Extensions.Options;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>Runs the <see cref="DevKafkaBroker"/> for the lifetime of the host.</summary>
public sealed partial class DevBrokerService(
    IOptions<DevBrokerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DevBrokerService> logger) : IHostedService
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

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Dev broker cannot start on port {Port}. {Reason}")]
    private partial void LogPortInUse(int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partitions")]
    private partial void LogTopicCreated(string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Dev Kafka broker listening on {BootstrapServers}. It keeps messages in memory only: everything is lost when it stops. " +
        "Durability comes from the lake; real Kafka runs in the containers topology.")]
    private partial void LogStarted(string bootstrapServers);
}
