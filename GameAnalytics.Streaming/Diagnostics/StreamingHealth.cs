using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.Streaming.Diagnostics;

/// <summary>Degraded once Kafka has lost offsets the lake needed; unhealthy if the consume loop stopped.</summary>
internal sealed class StreamingHealth : IHealthCheck
{
    private readonly List<string> _losses = [];
    private string? _failure;

    public bool IsRunning { get; set; }

    public void ReportLoss(string description)
    {
        lock (_losses)
        {
            _losses.Add(description);
        }
    }

    public void ReportFailure(string failure) => _failure = failure;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_failure is not null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The consume loop stopped: {_failure}"));
        }

        lock (_losses)
        {
            return Task.FromResult(_losses.Count > 0
                ? HealthCheckResult.Degraded($"Kafka no longer had records the lake needed: {string.Join("; ", _losses.TakeLast(10))}")
                : HealthCheckResult.Healthy(IsRunning ? "Consuming." : "Starting."));
        }
    }
}
