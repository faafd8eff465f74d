using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost;

/// <summary>The deploy manifest azd reads, written by the README's command.</summary>
public sealed partial class ManifestTests : IDisposable
{
    private readonly TempDirectory _output = new();

    [Theory]
    [InlineData("embedded")]
    [InlineData("containers")]
    public async Task Each_topologys_manifest_deploys_to_container_apps(string topology)
    {
        var resources = await PublishAsync($"--Topology={topology}");

        Assert.Empty(DeploymentProblems(resources));
    }

    [Theory]
    [InlineData("api", "bindings.http.external", null, "api has no external HTTP endpoint")]
    [InlineData("presto", "bindings.http.external", "true", "presto is external")]
    [InlineData("streaming", "bindings.http.external", "true", "streaming is external")]
    [InlineData("streaming", "env.ConnectionStrings__kafka", "localhost:{kafka.bindings.tcp.port}", "localhost")]
    [InlineData("spark-compaction", "env.LAKE_LOCATION", "hdfs://namenode:8020/lake", "lake")]
    [InlineData("streaming", "env.Lake__Hdfs__DataNodeEndpoint", "http://127.0.0.1:9864", "127.0.0.1")]
    [InlineData("metastore", "env.HIVE_CUSTOM_CONF_DIR", "/root/GameAnalytics.AppHost/containers/hive", "machine path")]
    public async Task A_containers_manifest_that_breaks_a_deployment_rule_is_reported(string resource, string path, string? value, string problem)
    {
        var resources = await PublishAsync("--Topology=containers");
        resources[resource] = With(resources[resource], path, value);

        Assert.Contains(DeploymentProblems(resources), found => found.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("query", "env.Query__Users", null, "query is external without passwords")]
    [InlineData("kafka", "inputs.value.secret", "false", "kafka is not a secret parameter")]
    [InlineData("streaming", "env.GameAnalytics__DataDir", "/var/lib/gameanalytics", "lake")]
    public async Task An_embedded_manifest_that_breaks_a_deployment_rule_is_reported(string resource, string path, string? value, string problem)
    {
        var resources = await PublishAsync();
        resources[resource] = With(resources[resource], path, value);

        Assert.Contains(DeploymentProblems(resources), found => found.Contains(problem, StringComparison.Ordinal));
    }

    /// <summary>
    /// What Azure Container Apps needs of a manifest: players reach the collector (an external HTTP endpoint), every
    /// other service stays internal unless it has passwords (the SQL endpoint, whose TLS the ingress terminates);
    /// nothing points at this machine; Kafka is a secret connection string and the lake's location a parameter.
    /// </summary>
    private static List<string> DeploymentProblems(IReadOnlyDictionary<string, JsonElement> resources)
    {
        var problems = new List<string>();
        foreach (var (name, resource) in resources)
        {
            var external = resource.TryGetProperty("bindings", out var bindings)
                && bindings.EnumerateObject().Any(binding => binding.Value.TryGetProperty("external", out var flag) && flag.GetBoolean());
            var hasPasswords = resource.TryGetProperty("env", out var env) && env.TryGetProperty("Query__Users", out var users) && IsSecretReference(resources, users.GetString());
            if (name == "api" && !(bindings.TryGetProperty("http", out var http) && http.TryGetProperty("external", out var flag) && flag.GetBoolean()))
            {
                problems.Add("api has no external HTTP endpoint: players could not reach the collector");
            }
            else if (name != "api" && external && !hasPasswords)
            {
                problems.Add(name == "query" ? "query is external without passwords" : $"{name} is external, and has no passwords");
            }

            foreach (var value in Values(resource))
            {
                if (LoopbackPattern().Match(value) is { Success: true } loopback)
                {
                    problems.Add($"{name} carries {loopback.Value}: {value}");
                }

                if (MachinePaths.FirstOrDefault(path => value.Contains(path, StringComparison.Ordinal)) is { } machinePath)
                {
                    problems.Add($"{name} carries a machine path ({machinePath}): {value}");
                }
            }
        }

        if (!resources.TryGetValue("kafka", out var kafka) || Type(kafka) != "parameter.v0" || !kafka.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean())
        {
            problems.Add("kafka is not a secret parameter");
        }

        foreach (var service in new[] { "api", "streaming" })
        {
            if (Env(resources[service], "ConnectionStrings__kafka") != "{kafka.connectionString}")
            {
                problems.Add($"{service}'s Kafka is not the kafka connection string");
            }
        }

        // The lake's location: the data folder (embedded) or the file system (containers), each a parameter.
        var lakeSettings = new[] { ("streaming", "GameAnalytics__DataDir"), ("query", "GameAnalytics__DataDir"), ("streaming", "Lake__Hdfs__FileSystem"), ("spark-compaction", "LAKE_LOCATION") }
            .Where(setting => resources.ContainsKey(setting.Item1))
            .Select(setting => (setting.Item1, setting.Item2, Value: resources[setting.Item1].TryGetProperty("env", out var env) && env.TryGetProperty(setting.Item2, out var value) ? value.GetString() : null))
            .Where(setting => setting.Value is not null)
            .ToList();
        if (lakeSettings.Count == 0)
        {
            problems.Add("no service is told where the lake is");
        }

        foreach (var (service, variable, value) in lakeSettings.Where(setting => !ParameterReferencePattern().IsMatch(setting.Value!) || !resources.ContainsKey(ParameterReferencePattern().Match(setting.Value!).Groups[1].Value)))
        {
            problems.Add($"{service}'s lake location {variable} is {value}, not a parameter");
        }

        return problems;
    }

    private static bool IsSecretReference(IReadOnlyDictionary<string, JsonElement> resources, string? value) =>
        value is not null && ParameterReferencePattern().Match(value) is { Success: true } match
        && resources.TryGetValue(match.Groups[1].Value, out var parameter)
        && parameter.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean();

    /// <summary>Every text a deployment hands a resource: environment, connection string, arguments, entrypoint.</summary>
    private static IEnumerable<string> Values(JsonElement resource)
    {
        if (resource.TryGetProperty("env", out var env))
        {
            foreach (var variable in env.EnumerateObject())
            {
                yield return variable.Value.GetString() ?? "";
            }
        }

        foreach (var property in new[] { "connectionString", "entrypoint" })
        {
            if (resource.TryGetProperty(property, out var value))
            {
                yield return value.GetString() ?? "";
            }
        }

        if (resource.TryGetProperty("args", out var args))
        {
            foreach (var arg in args.EnumerateArray())
            {
                yield return arg.GetString() ?? "";
            }
        }
    }

    /// <summary>Where this machine's folders would leak from: the repository, the home and temporary folders.</summary>
    private static readonly string[] MachinePaths =
    [
        Repository.Root,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData),
        Path.GetTempPath().TrimEnd('/'),
        "/root/",
        "/home/",
    ];

    /// <summary>A copy of a resource with one value at a dotted path set, or removed when null.</summary>
    private static JsonElement With(JsonElement resource, string path, string? value)
    {
        var node = JsonNode.Parse(resource.GetRawText())!.AsObject();
        var parts = path.Split('.');
        var parent = node;
        foreach (var part in parts[..^1])
        {
            parent = (parent[part] ??= new JsonObject()).AsObject();
        }

        if (value is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = value is "true" or "false" ? JsonValue.Create(bool.Parse(value)) : JsonValue.Create(value);
        }

        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }

    [GeneratedRegex(@"\blocalhost\b|127\.0\.0\.1|\[::1\]")]
    private static partial Regex LoopbackPattern();

    [GeneratedRegex(@"^\{([a-z0-9-]+)\.(?:value|connectionString)\}")]
    private static partial Regex ParameterReferencePattern();

    [Fact]
    public async Task The_embedded_manifest_deploys_the_services_with_kafka_and_the_data_folder_as_parameters()
    {
        var resources = await PublishAsync();

        // No simulated players in a deployment.
        Assert.Equal(["api", "collector-write-keys", "data-dir", "kafka", "query", "query-users", "streaming"], resources.Keys.Order());
        Assert.Equal("parameter.v0", Type(resources["kafka"]));
        Assert.True(resources["kafka"].GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), "the Kafka connection string is a secret");
        Assert.Equal("parameter.v0", Type(resources["data-dir"]));
        Assert.True(resources["query-users"].GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), "the SQL users' password hashes are a secret");
        Assert.Equal("{query-users.value}", Env(resources["query"], "Query__Users"));
        Assert.True(resources["collector-write-keys"].GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), "the games' write keys are a secret");
        Assert.Equal("{collector-write-keys.value}", Env(resources["api"], "Collector__WriteKeys"));

        foreach (var service in new[] { "api", "streaming", "query" })
        {
            Assert.Equal("project.v0", Type(resources[service]));
            var project = Path.GetFullPath(Path.Combine(_output.Path, resources[service].GetProperty("path").GetString()!));
            Assert.True(File.Exists(project), $"{service} points at {project}");
        }

        Assert.Equal("{kafka.connectionString}", Env(resources["api"], "ConnectionStrings__kafka"));
        Assert.Equal("{kafka.connectionString}", Env(resources["streaming"], "ConnectionStrings__kafka"));
        Assert.Equal("{data-dir.value}", Env(resources["streaming"], "GameAnalytics__DataDir"));
        Assert.Equal("{data-dir.value}", Env(resources["query"], "GameAnalytics__DataDir"));
        Assert.Equal(5000, resources["api"].GetProperty("bindings").GetProperty("http").GetProperty("port").GetInt32());
        Assert.Equal(8080, resources["query"].GetProperty("bindings").GetProperty("http").GetProperty("port").GetInt32());

        // Nothing of this machine leaks into a deployment.
        var manifest = await File.ReadAllTextAsync(ManifestPath);
        Assert.DoesNotContain(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_containers_manifest_carries_the_engines_images_and_configuration_mounts()
    {
        var resources = await PublishAsync("--Topology=containers");

        Assert.Equal("container.v0", Type(resources["presto"]));
        Assert.StartsWith("prestodb/presto:", resources["presto"].GetProperty("image").GetString(), StringComparison.Ordinal);
        var mounts = resources["presto"].GetProperty("bindMounts").EnumerateArray()
            .ToDictionary(mount => mount.GetProperty("target").GetString()!, mount => mount.GetProperty("source").GetString()!);
        var catalog = Path.GetFullPath(Path.Combine(_output.Path, mounts["/opt/presto-server/etc/catalog/hive.properties"]));
        Assert.True(File.Exists(catalog), $"the catalog mount points at {catalog}");
        Assert.Equal("{presto.bindings.http.url}", Env(resources["streaming"], "Lake__Hive__PrestoEndpoint"));
        Assert.Equal("{lake-filesystem.value}", Env(resources["streaming"], "Lake__Hdfs__FileSystem"));
        Assert.Equal("hdfs://namenode:8020", resources["lake-filesystem"].GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("value").GetString());
        Assert.Equal("{kafka.connectionString}", Env(resources["streaming"], "ConnectionStrings__kafka"));
        Assert.False(resources.ContainsKey("simulator"), "no simulated players in a deployment");
    }

    private string ManifestPath => Path.Combine(_output.Path, "manifest.json");

    private async Task<Dictionary<string, JsonElement>> PublishAsync(params string[] arguments)
    {
        var published = await CommandLine.RunAsync(
            "dotnet",
            ["run", "--project", Path.Combine(Repository.Root, "GameAnalytics.AppHost"), "--no-build", "--", "--publisher", "manifest", "--output-path", ManifestPath, .. arguments]);
        Assert.True(published.ExitCode == 0, $"manifest publishing failed: {published}");

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(ManifestPath));
        return manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(resource => resource.Name, resource => resource.Value.Clone());
    }

    private static string? Type(JsonElement resource) => resource.GetProperty("type").GetString();

    private static string? Env(JsonElement resource, string name) => resource.GetProperty("env").GetProperty(name).GetString();

    public void Dispose() => _output.Dispose();
}
