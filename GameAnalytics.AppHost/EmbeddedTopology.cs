using System.Globalization;

namespace Aspire.Hosting;

internal static class EmbeddedTopology
{
    /// <summary>The dev Kafka broker, the lake in the data folder and DuckDB behind the Presto protocol: only the .NET SDK needed.</summary>
    public static void AddEmbeddedTopology(this IDistributedApplicationBuilder builder, DataDirectory dataDirectory)
    {
        var ports = TopologyPorts.From(builder.Configuration);

        var (kafka, bootstrapServers) = builder.AddKafkaForEmbedded(ports.Kafka);
        var api = builder.AddCollector(ports, bootstrapServers)
            .WaitForIfRun(kafka);

        builder.AddStreaming(bootstrapServers)
            .WithDataDirectory(dataDirectory)
            .WaitForIfRun(kafka);

        builder.AddQuery(ports, dataDirectory);

        builder.AddSimulator(api);
        builder.LogWhereEverythingIs(api, ports, Topologies.Embedded, dataDirectory.LocalPath ?? "the data-dir parameter");
    }

    /// <summary>
    /// Run: the dev broker, in memory, on a fixed port. Published: the connection string <c>kafka</c>, a secret
    /// parameter naming a real Kafka (Event Hubs, for example), since a deployment must not keep events in memory.
    /// </summary>
    private static (IResourceBuilder<IResource>? Broker, ReferenceExpression BootstrapServers) AddKafkaForEmbedded(this IDistributedApplicationBuilder builder, int port)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return (null, builder.AddPublishedKafka());
        }

        var broker = builder.AddProject<Projects.GameAnalytics_DevBroker>("kafka")
            .WithEndpoint("tcp", endpoint =>
            {
                endpoint.Port = port;
                endpoint.TargetPort = port;
                endpoint.UriScheme = "tcp";
                // librdkafka must reach the broker at the address its metadata advertises, so no proxy.
                endpoint.IsProxied = false;
            })
            .WithEnvironment("DevBroker__Port", port.ToString(CultureInfo.InvariantCulture))
            // Stops drain, and the guard refuses records, for the group that lands them.
            .WithEnvironment("DevBroker__DrainGroup", GameAnalyticsServices.StreamingGroup)
            .WithHttpHealthCheck("/health");
        return (broker, ReferenceExpression.Create($"127.0.0.1:{broker.GetEndpoint("tcp").Property(EndpointProperty.Port)}"));
    }

    /// <summary>
    /// The query service on HTTP, and on HTTPS where the machine has the ASP.NET Core development certificate
    /// (Presto and Trino clients send passwords only over HTTPS). Published, the users come from the secret
    /// parameter <c>query-users</c> and the ingress terminates TLS.
    /// </summary>
    private static void AddQuery(this IDistributedApplicationBuilder builder, TopologyPorts ports, DataDirectory dataDirectory)
    {
        var query = builder.AddProject<Projects.GameAnalytics_Query>("query")
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = ports.Query;
                endpoint.IsProxied = false;
            })
            .WithDataDirectory(dataDirectory)
            .WithHttpHealthCheck("/health")
            .WithUrlForEndpoint("http", url => url.DisplayText = "SQL (Presto protocol)")
            .WithUrl(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{ports.Query}/insights"), "Insights");

        if (builder.ExecutionContext.IsPublishMode)
        {
            // External only because it then has both: passwords, and TLS at the ingress.
            query.WithEnvironment("Query__Users", builder.AddParameter("query-users", secret: true))
                .WithExternalHttpEndpoints();
        }
        else if (DevelopmentCertificate.Exists())
        {
            query.WithHttpsEndpoint(port: ports.QueryHttps, name: "https", isProxied: false)
                .WithUrlForEndpoint("https", url => url.DisplayText = "SQL over HTTPS (passwords)");
        }
    }
}
