using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>Ready once the broker listens and its topics exist; degraded while it refuses records to keep unlanded ones.</summary>
internal sealed class DevBrokerHealthCheck(DevBrokerService service) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(service.Broker switch
        {
            null => HealthCheckResult.Unhealthy("The dev broker has not started."),
            { Intake: RecordIntake.Stopping } => HealthCheckResult.Unhealthy("Stopping: new records are refused while the stream processor lands the rest."),
            { Intake: RecordIntake.Paused, PauseReason: var reason } => HealthCheckResult.Degraded(reason),
            var broker => HealthCheckResult.Healthy($"Listening on {broker.BootstrapServers}"),
        });
}
