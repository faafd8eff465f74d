using GameAnalytics.Contracts;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>The fixed host ports users and tools rely on (section <c>Ports</c>), the same in both topologies.</summary>
internal sealed record TopologyPorts(int Api, int Query, int Kafka, int QueryHttps)
{
    public static TopologyPorts From(IConfiguration configuration) => new(
        configuration.GetValue("Ports:Api", DefaultPorts.Collector),
        configuration.GetValue("Ports:Query", DefaultPorts.Query),
        configuration.GetValue("Ports:Kafka", DefaultPorts.Kafka),
        configuration.GetValue("Ports:QueryHttps", 8443));
}
