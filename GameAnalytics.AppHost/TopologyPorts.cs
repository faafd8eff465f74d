using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>The fixed host ports users and tools rely on (section <c>Ports</c>), the same in both topologies.</summary>
internal sealed record TopologyPorts(int Api, int Query, int Kafka, int QueryHttps)
{
    public static TopologyPorts From(IConfiguration configuration) => new(
        configuration.GetValue("Ports:Api", 5000),
        configuration.GetValue("Ports:Query", 8080),
        configuration.GetValue("Ports:Kafka", 9092),
        configuration.GetValue("Ports:QueryHttps", 8443));
}
