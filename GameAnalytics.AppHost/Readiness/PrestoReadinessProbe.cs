using GameAnalytics.Contracts;
using GameAnalytics.Presto;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Presto is ready when it answers a query over the <c>hive</c> catalog: that needs the coordinator, a worker
/// and the metastore. <c>/v1/info</c> answers long before.
/// </summary>
internal sealed class PrestoReadinessProbe : IReadinessProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public async Task<HealthCheckResult> ProbeAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var presto = new PrestoClient(Http, new PrestoClientOptions { Server = endpoint, User = "gameanalytics-apphost", MaxRetries = 0 });
        try
        {
            var (_, rows) = await presto.QueryAllAsync($"SELECT count(*) FROM {SqlCatalog.Catalog}.information_schema.schemata", cancellationToken);
            return HealthCheckResult.Healthy($"Answers over the {SqlCatalog.Catalog} catalog ({rows[0].GetInt64(0)} schemas).");
        }
        catch (PrestoQueryException ex)
        {
            return HealthCheckResult.Unhealthy($"Presto answers but cannot query the {SqlCatalog.Catalog} catalog yet: {ex.Message}", ex);
        }
    }
}
