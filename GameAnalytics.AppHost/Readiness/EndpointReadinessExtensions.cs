using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

internal static class EndpointReadinessExtensions
{
    /// <summary>
    /// Marks the resource healthy only when <paramref name="probe"/> says it is ready to work, not merely listening.
    /// Resources that <c>WaitFor</c> it start after that.
    /// </summary>
    public static IResourceBuilder<T> WithReadinessCheck<T>(this IResourceBuilder<T> resource, string endpointName, IReadinessProbe probe)
        where T : IResourceWithEndpoints
    {
        var endpoint = resource.GetEndpoint(endpointName);
        var key = $"{resource.Resource.Name}_{endpointName}_ready";
        resource.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(key, _ => new EndpointReadinessCheck(endpoint, probe), failureStatus: null, tags: null));
        return resource.WithHealthCheck(key);
    }

    private sealed class EndpointReadinessCheck(EndpointReference endpoint, IReadinessProbe probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!endpoint.IsAllocated)
            {
                return HealthCheckResult.Unhealthy($"{endpoint.EndpointName} has no address yet.");
            }

            // A probe's exception (refused, timed out, not the engine's answer) is reported unhealthy by the health check service.
            return await probe.ProbeAsync(new Uri(endpoint.Url), cancellationToken);
        }
    }
}

/// <summary>Asks an engine at its address whether it can do its work.</summary>
internal interface IReadinessProbe
{
    Task<HealthCheckResult> ProbeAsync(Uri endpoint, CancellationToken cancellationToken);
}
