using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.Streaming.Diagnostics;

/// <summary>
/// Degraded once data was lost (offsets Kafka no longer had, or committed files that are gone), or while a fault (a full disk, an unreachable broker or
/// WebHDFS) holds up landing; unhealthy if the consume loop stopped.
/// </summary>
internal sealed class StreamingHealth : IHealthCheck
{
    private readonly List<string> _losses = [];
    private readonly Dictionary<string, string> _faults = [];
    private string? _failure;

    public bool IsRunning { get; set; }

    public void ReportLoss(string description)
    {
        lock (_losses)
        {
            _losses.Add(description);
        }
    }

    /// <summary>A fault that is retried, under a key (a partition, Kafka) that <see cref="ClearFault"/> takes back.</summary>
    public void ReportFault(string key, string reason)
    {
        lock (_faults)
        {
            _faults[key] = reason;
        }
    }

    public void ClearFault(string key)
    {
        lock (_faults)
        {
            _faults.Remove(key);
        }
    }

    public void ReportFailure(string failure) => _failure = failure;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_failure is not null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The consume loop stopped: {_failure}"));
        }

        var problems = new List<string>();
        lock (_losses)
        {
            if (_losses.Count > 0)
            {
                problems.Add($"DATA LOST: {string.Join("; ", _losses.TakeLast(10))}");
            }
        }

        lock (_faults)
        {
            problems.AddRange(_faults.OrderBy(fault => fault.Key, StringComparer.Ordinal).Take(10).Select(fault => $"{fault.Key}: {fault.Value} (retrying)"));
        }

        return Task.FromResult(problems.Count > 0
            ? HealthCheckResult.Degraded(string.Join(" | ", problems))
            : HealthCheckResult.Healthy(IsRunning ? "Consuming." : "Starting."));
    }
}
