using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Ready when the port accepts a connection. Enough for the Hive metastore: it opens 9083 only after its schema is
/// in place and its Thrift server has started.
/// </summary>
internal sealed class TcpReadinessProbe : IReadinessProbe
{
    public async Task<HealthCheckResult> ProbeAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        return HealthCheckResult.Healthy($"Accepts connections on {endpoint.Port}.");
    }
}
