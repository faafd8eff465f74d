using Confluent.Kafka;

namespace GameAnalytics.Api.Kafka;

/// <summary>On shutdown, waits for the broker to acknowledge what is still in flight.</summary>
internal sealed partial class ProducerFlushService(IProducer<string, byte[]> producer, ILogger<ProducerFlushService> logger) : IHostedService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        try
        {
            var left = producer.Flush(FlushTimeout);
            if (left > 0)
            {
                LogUnflushed(left, FlushTimeout.TotalSeconds);
            }
        }
        catch (ObjectDisposedException)
        {
            // A test host may dispose its services first; every request has awaited its own delivery by then.
        }
    }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} events were still unacknowledged by Kafka after {Seconds} s at shutdown; their requests did not get a 2xx")]
    private partial void LogUnflushed(int count, double seconds);
}
