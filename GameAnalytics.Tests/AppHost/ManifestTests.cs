using System.Diagnostics;
using System.Text.Json;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost;

/// <summary>The deploy manifest azd reads, written by the README's command.</summary>
public sealed class ManifestTests : IDisposable
{
    private readonly TempDirectory _output = new();

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
    }

    private string ManifestPath => Path.Combine(_output.Path, "manifest.json");

    private async Task<Dictionary<string, JsonElement>> PublishAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Path.Combine(Repository.Root, "GameAnalytics.AppHost"), "--no-build", "--", "--publisher", "manifest", "--output-path", ManifestPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"manifest publishing failed ({process.ExitCode}):\n{await output}\n{await error}");

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(ManifestPath));
        return manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(resource => resource.Name, resource => resource.Value.Clone());
    }

    private static string? Type(JsonElement resource) => resource.GetProperty("type").GetString();

    private static string? Env(JsonElement resource, string name) => resource.GetProperty("env").GetProperty(name).GetString();

    public void Dispose() => _output.Dispose();
}
