using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The C# services, the same in both topologies; only what they connect to differs.</summary>
internal static class GameAnalyticsServices
{
    /// <summary>
    /// The collector. Run, it lets keyless requests in (the original's curl and Apache Bench traffic) and has one
    /// development key, a generated secret shown in the dashboard's parameters, which the simulator sends.
    /// Published, it requires keys: the secret parameter <c>collector-write-keys</c> (<c>name=key</c> pairs), and keeps
    /// the default rate limit per key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddCollector(this IDistributedApplicationBuilder builder, TopologyPorts ports, ReferenceExpression kafka)
    {
        var collector = builder.AddProject<Projects.GameAnalytics_Api>("api")
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = ports.Api;
                endpoint.IsProxied = false;
            })
            .WithEnvironment("ConnectionStrings__kafka", kafka)
            .WithHttpHealthCheck("/health")
            // Games reach it from the internet; every other service stays internal to the deployment.
            .WithExternalHttpEndpoints()
            .WithUrlForEndpoint("http", url => url.DisplayText = "Collector")
            .WithUrl(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{ports.Api}/scalar"), "API reference");
        if (builder.ExecutionContext.IsPublishMode)
        {
            return collector.WithEnvironment("Collector__WriteKeys", builder.AddParameter("collector-write-keys", secret: true));
        }

        // High enough that the original's load tests, the simulator and the benchmarks are never throttled.
        return collector
            .WithEnvironment("Collector__AllowAnonymous", "true")
            .WithEnvironment("Collector__RateLimit__EventsPerSecond", "1000000")
            .WithEnvironment("Collector__RateLimit__Burst", "1000000")
            .WithEnvironment("Collector__WriteKeys__dev", DevelopmentWriteKey(builder));
    }

    private static IResourceBuilder<ParameterResource> DevelopmentWriteKey(IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == DevelopmentKeyName) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(DevelopmentKeyName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

    private const string DevelopmentKeyName = "collector-dev-key";

    /// <summary>
    /// Published, Kafka is the secret connection string <c>kafka</c> (Event Hubs' Kafka endpoint, for example), in both
    /// topologies: a deployment brings a durable Kafka rather than a broker with this machine's address.
    /// </summary>
    public static ReferenceExpression AddPublishedKafka(this IDistributedApplicationBuilder builder) =>
        ReferenceExpression.Create($"{builder.AddConnectionString("kafka").Resource}");

    /// <summary>Waits for a part that exists only when run (the dev broker, the Kafka container).</summary>
    public static IResourceBuilder<T> WaitForIfRun<T>(this IResourceBuilder<T> resource, IResourceBuilder<IResource>? dependency)
        where T : IResourceWithWaitSupport =>
        dependency is null ? resource : resource.WaitFor(dependency);

    /// <summary>The stream processor's consumer group: the dev broker keeps what it has not landed.</summary>
    public const string StreamingGroup = "game-analytics-streaming";

    public static IResourceBuilder<ProjectResource> AddStreaming(this IDistributedApplicationBuilder builder, ReferenceExpression kafka) =>
        builder.AddProject<Projects.GameAnalytics_Streaming>("streaming")
            .WithEnvironment("ConnectionStrings__kafka", kafka)
            .WithEnvironment("Streaming__GroupId", StreamingGroup)
            .WithHttpHealthCheck("/health");

    /// <summary>
    /// Simulated players (<c>gamectl simulate</c>, the original's traffic), started from the dashboard,
    /// or at once with <c>--Simulator:Start=true</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddSimulator(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api)
    {
        var simulator = builder.AddProject<Projects.GameAnalytics_Cli>("simulator")
            .WithArgs(context =>
            {
                context.Args.Add("simulate");
                context.Args.Add("--collector");
                context.Args.Add(api.GetEndpoint("http"));
            })
            .WaitFor(api);
        if (!builder.ExecutionContext.IsPublishMode)
        {
            simulator.WithEnvironment("GAMECTL_WRITE_KEY", DevelopmentWriteKey(builder));
        }

        // Fake players have no place in a deployment.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return simulator.ExcludeFromManifest();
        }

        return builder.Configuration.GetValue("Simulator:Start", false) ? simulator : simulator.WithExplicitStart();
    }

    /// <summary>Once the collector is ready, says in the console where everything is.</summary>
    public static void LogWhereEverythingIs(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, TopologyPorts ports, string topology, string data)
    {
        builder.Eventing.Subscribe<ResourceReadyEvent>(api.Resource, (@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GameAnalytics");
            logger.LogInformation(
                "GameAnalytics ({Topology}) is ready. Collector: http://localhost:{ApiPort} (try: curl -H \"Host: user1.datafun.com\" http://localhost:{ApiPort}/purchase_a_sword). " +
                "SQL: http://localhost:{QueryPort} (Presto protocol; gamectl sql --server http://localhost:{QueryPort}). Kafka: localhost:{KafkaPort}. Data: {Data}. " +
                "Simulated players: start the simulator resource in the dashboard.",
                topology, ports.Api, ports.Api, ports.Query, ports.Query, ports.Kafka, data);
            return Task.CompletedTask;
        });
    }
}
