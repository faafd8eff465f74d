using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// HDFS takes writes, renames and deletes once the namenode has left safe mode and a datanode has registered;
/// before that its web port already answers, and a 200 there says nothing.
/// </summary>
internal sealed class NamenodeReadinessProbe : IReadinessProbe
{
    public async Task<HealthCheckResult> ProbeAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var info = await HadoopJmx.BeanAsync(endpoint, "Hadoop:service=NameNode,name=NameNodeInfo", cancellationToken);
        var state = await HadoopJmx.BeanAsync(endpoint, "Hadoop:service=NameNode,name=FSNamesystemState", cancellationToken);
        if (info is null || state is null)
        {
            return HealthCheckResult.Unhealthy("The namenode does not serve its state yet.");
        }

        // FSNamesystem reports "" once safe mode is off, and the reason it is on otherwise.
        var safeMode = info.Value.GetProperty("Safemode").GetString();
        if (!string.IsNullOrEmpty(safeMode))
        {
            return HealthCheckResult.Unhealthy($"The namenode is in safe mode: {safeMode}");
        }

        var liveDatanodes = state.Value.GetProperty("NumLiveDataNodes").GetInt32();
        return liveDatanodes > 0
            ? HealthCheckResult.Healthy($"Out of safe mode, {liveDatanodes} live datanode(s).")
            : HealthCheckResult.Unhealthy("Out of safe mode, but no datanode has registered.");
    }
}
