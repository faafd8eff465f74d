using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>A datanode is ready once it has registered with its namenode and sends heartbeats.</summary>
internal sealed class DatanodeReadinessProbe : IReadinessProbe
{
    public async Task<HealthCheckResult> ProbeAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var info = await HadoopJmx.BeanAsync(endpoint, "Hadoop:service=DataNode,name=DataNodeInfo", cancellationToken);
        if (info is null || !info.Value.TryGetProperty("BPServiceActorInfo", out var actors) || actors.GetString() is not { Length: > 0 } json)
        {
            return HealthCheckResult.Unhealthy("The datanode does not serve its state yet.");
        }

        // One actor per namenode, as a JSON text inside the bean.
        using var document = JsonDocument.Parse(json);
        var states = document.RootElement.EnumerateArray()
            .Select(actor => actor.TryGetProperty("ActorState", out var state) ? state.GetString() : null)
            .ToList();
        return states.Contains("RUNNING")
            ? HealthCheckResult.Healthy("Registered with the namenode.")
            : HealthCheckResult.Unhealthy($"Not registered with a namenode yet (actors: {string.Join(", ", states)}).");
    }
}
