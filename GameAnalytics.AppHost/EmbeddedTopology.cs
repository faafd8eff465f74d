using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

internal static class EmbeddedTopology
{
    public static void AddEmbeddedTopology(this IDistributedApplicationBuilder builder, string dataDirectory)
    {
        var kafkaPort = builder.Configuration.GetValue("Ports:Kafka", 9092);
        var apiPort = builder.Configuration.GetValue("Ports:Api", 5000);
        var queryPort = builder.Configuration.GetValue("Ports:Query", 8080);

        var kafka = builder.AddProject<Projects.GameAnalytics_DevBroker>("kafka")
            .WithEndpoint("tcp", endpoint =>
            {
                endpoint.Port = kafkaPort;
                endpoint.TargetPort = kafkaPort;
                endpoint.UriScheme = "tcp";
                // librdkafka must reach the broker at the address its metadata advertises, so no proxy.
                endpoint.IsProxied = false;
            })
            .WithEnvironment("DevBroker__Port", kafkaPort.ToString())
            .WithHttpHealthCheck("/health");
        var bootstrapServers = ReferenceExpression.Create($"127.0.0.1:{kafka.GetEndpoint("tcp").Property(EndpointProperty.Port)}");

        var api = builder.AddProject<Projects.GameAnalytics_Api>("api")
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = apiPort;
                endpoint.IsProxied = false;
            })
            .WithEnvironment("ConnectionStrings__kafka", bootstrapServers)
            .WithDataDirectory(dataDirectory)
            .WaitFor(kafka)
            .WithHttpHealthCheck("/health")
            .WithUrlForEndpoint("http", url => url.DisplayText = "Collector")
            .WithUrl(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{apiPort}/scalar"), "API reference");

        builder.AddProject<Projects.GameAnalytics_Streaming>("streaming")
            .WithEnvironment("ConnectionStrings__kafka", bootstrapServers)
            .WithDataDirectory(dataDirectory)
            .WaitFor(kafka)
            .WithHttpHealthCheck("/health");

        builder.AddProject<Projects.GameAnalytics_Query>("query")
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = queryPort;
                endpoint.IsProxied = false;
            })
            .WithDataDirectory(dataDirectory)
            .WithHttpHealthCheck("/health")
            .WithUrlForEndpoint("http", url => url.DisplayText = "SQL (Presto protocol)");

        builder.Eventing.Subscribe<ResourceReadyEvent>(api.Resource, (@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GameAnalytics");
            logger.LogInformation(
                "Collector ready at http://localhost:{ApiPort} (try: curl -H \"Host: user1.datafun.com\" http://localhost:{ApiPort}/purchase_a_sword). " +
                "SQL at http://localhost:{QueryPort} (Presto protocol). Kafka at 127.0.0.1:{KafkaPort}. Data in {DataDirectory}.",
                apiPort, apiPort, queryPort, kafkaPort, dataDirectory);
            return Task.CompletedTask;
        });
    }
}
