using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>Ready once the broker listens and its topics exist.</summary>
internal sealed class DevBrokerHealthCheck(DevBrokerService service) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(service.Broker switch
        {
            null => HealthCheckResult.Unhealthy("The dev broker has not started."),
            { IsRefusingRecords: true } => HealthCheckResult.Unhealthy("Stopping: new records are refused while the stream processor lands the rest."),
            var broker => HealthCheckResult.Healthy($"Listening on {broker.BootstrapServers}"),
        });
}
