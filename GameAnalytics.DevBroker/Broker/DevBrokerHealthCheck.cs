using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>Ready once the broker listens and its topics exist.</summary>
internal sealed class DevBrokerHealthCheck(DevBrokerService service) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(service.Broker is { } broker
            ? HealthCheckResult.Healthy($"Listening on {broker.BootstrapServers}")
            : HealthCheckResult.Unhealthy("The dev broker has not started."));
}
