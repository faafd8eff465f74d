using System.Text.RegularExpressions;

namespace GameAnalytics.Tests.AppHost.Engines;

/// <summary>
/// The Kafka container's environment against what the apache/kafka image and Kafka 3.9 do at start-up: the image's
/// wrapper turns every <c>KAFKA_*</c> variable into a property (<c>_</c> to <c>.</c>) and then drops its default
/// server.properties, and <c>KafkaConfig.validateValues</c> checks the listeners of a combined broker and controller.
/// </summary>
public sealed partial class KafkaConfigurationTests(ContainersModel model) : IClassFixture<ContainersModel>
{
    [Fact]
    public async Task The_kafka_container_starts_as_kafka_checks_its_configuration()
    {
        Assert.Empty(Problems(await model.EnvironmentAsync("kafka")));
    }

    [Theory]
    [InlineData("KAFKA_LISTENERS", "CONTROLLER://:29093,PLAINTEXT_HOST://:9092", "advertised.listeners names PLAINTEXT")]
    [InlineData("KAFKA_LISTENERS", "CONTROLLER://:29093,PLAINTEXT_HOST://:9092,PLAINTEXT://:9092", "port 9092 twice")]
    [InlineData("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT", "No security protocol defined for listener PLAINTEXT_HOST")]
    [InlineData("KAFKA_CONTROLLER_LISTENER_NAMES", "KRAFT", "controller.listener.names")]
    [InlineData("KAFKA_CONTROLLER_QUORUM_VOTERS", "2@kafka:29093", "node id 1 must be a voter")]
    [InlineData("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9093", "no listener on 9093")]
    [InlineData("KAFKA_INTER_BROKER_LISTENER_NAME", "CONTROLLER", "inter.broker.listener.name")]
    [InlineData("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT://kafka:19092", "0.0.0.0")]
    [InlineData("KAFKA_LISTENERS", "CONTROLLER://0.0.0.0:29093,PLAINTEXT_HOST://:9092,PLAINTEXT://:19092", "0.0.0.0")]
    [InlineData("KAFKA_NODE_ID", null, "node.id")]
    [InlineData("KAFKA_LOG_DIRS", null, "log.dirs")]
    [InlineData("CLUSTER_ID", null, "CLUSTER_ID")]
    public async Task A_configuration_kafka_refuses_is_reported(string variable, string? value, string problem)
    {
        var environment = await model.EnvironmentAsync("kafka");
        if (value is null)
        {
            environment.Remove(variable);
        }
        else
        {
            environment[variable] = value;
        }

        Assert.Contains(Problems(environment), found => found.Contains(problem, StringComparison.Ordinal));
    }

    private static List<string> Problems(IReadOnlyDictionary<string, string> environment)
    {
        var config = ServerProperties(environment);
        var problems = new List<string>();
        if (!environment.ContainsKey("CLUSTER_ID"))
        {
            problems.Add("the image requires CLUSTER_ID when KAFKA_PROCESS_ROLES is set");
        }

        // The image's defaults are gone once any KAFKA_* variable is set: these have no other source.
        foreach (var required in new[] { "process.roles", "node.id", "controller.quorum.voters", "controller.listener.names", "listeners", "log.dirs" })
        {
            if (!config.ContainsKey(required))
            {
                problems.Add($"{required} is not set, and the image's default server.properties is not used");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var listeners = Listeners(config["listeners"]);
        var advertised = config.TryGetValue("advertised.listeners", out var advertisedText) ? Listeners(advertisedText) : listeners;
        var controllerNames = config["controller.listener.names"].Split(',');
        var protocols = config.TryGetValue("listener.security.protocol.map", out var map)
            ? map.Split(',').Select(pair => pair.Split(':')[0]).ToHashSet()
            : null;

        foreach (var duplicate in listeners.GroupBy(listener => listener.Port).Where(group => group.Count() > 1))
        {
            problems.Add($"listeners use port {duplicate.Key} twice");
        }

        foreach (var listener in listeners.Where(listener => protocols is not null && !protocols.Contains(listener.Name)))
        {
            problems.Add($"No security protocol defined for listener {listener.Name}");
        }

        foreach (var name in controllerNames.Where(name => listeners.All(listener => listener.Name != name)))
        {
            problems.Add($"controller.listener.names must only contain values appearing in listeners: {name} does not");
        }

        var nodeId = int.Parse(config["node.id"], System.Globalization.CultureInfo.InvariantCulture);
        var voters = config["controller.quorum.voters"].Split(',').Select(voter => VoterPattern().Match(voter)).ToList();
        if (config["process.roles"].Contains("controller", StringComparison.Ordinal) && voters.All(voter => voter.Groups[1].Value != nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            problems.Add($"node id {nodeId} must be a voter in controller.quorum.voters");
        }

        var controllerPorts = listeners.Where(listener => controllerNames.Contains(listener.Name)).Select(listener => listener.Port).ToHashSet();
        foreach (var voter in voters.Where(voter => !controllerPorts.Contains(voter.Groups[3].Value)))
        {
            problems.Add($"controller.quorum.voters points at port {voter.Groups[3].Value}: no listener on {voter.Groups[3].Value} is a controller listener");
        }

        foreach (var name in advertised.Select(listener => listener.Name).Where(name => listeners.All(listener => listener.Name != name)))
        {
            problems.Add($"advertised.listeners names {name}, which listeners does not define");
        }

        var brokerAdvertised = advertised.Where(listener => !controllerNames.Contains(listener.Name)).ToList();
        if (brokerAdvertised.Count == 0)
        {
            problems.Add("there must be at least one broker advertised listener");
        }

        if (config.TryGetValue("inter.broker.listener.name", out var interBroker) && brokerAdvertised.All(listener => listener.Name != interBroker))
        {
            problems.Add($"inter.broker.listener.name {interBroker} must be a broker listener defined in advertised.listeners");
        }

        // A controller listener that is not advertised is advertised as listed (KAFKA-18281 made 0.0.0.0 there fatal).
        var effectiveAdvertised = brokerAdvertised.Concat(listeners.Where(listener => controllerNames.Contains(listener.Name) && advertised.All(other => other.Name != listener.Name)));
        foreach (var listener in effectiveAdvertised.Where(listener => listener.Host == "0.0.0.0"))
        {
            problems.Add($"{listener.Name} would be advertised at the non-routable meta-address 0.0.0.0");
        }

        return problems;
    }

    /// <summary>The image's KafkaDockerWrapper: KAFKA_ dropped, lower case, <c>_</c> to <c>.</c>, <c>___</c> to <c>-</c>, <c>__</c> to <c>_</c>.</summary>
    private static Dictionary<string, string> ServerProperties(IReadOnlyDictionary<string, string> environment) =>
        environment.Where(variable => variable.Key.StartsWith("KAFKA_", StringComparison.Ordinal) && !NotProperties.Contains(variable.Key))
            .ToDictionary(
                variable => variable.Key["KAFKA_".Length..].ToLowerInvariant().Replace('_', '.').Replace("...", "-", StringComparison.Ordinal).Replace("..", "_", StringComparison.Ordinal),
                variable => variable.Value);

    private static readonly HashSet<string> NotProperties =
        ["KAFKA_VERSION", "KAFKA_HEAP_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_JMX_HOSTNAME"];

    private static List<(string Name, string Host, string Port)> Listeners(string text) =>
        text.Split(',').Select(listener => ListenerPattern().Match(listener.Trim()))
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value))
            .ToList();

    [GeneratedRegex(@"^([A-Z_]+)://([^:]*):(\d+)$")]
    private static partial Regex ListenerPattern();

    [GeneratedRegex(@"^(\d+)@([^:]+):(\d+)$")]
    private static partial Regex VoterPattern();
}
