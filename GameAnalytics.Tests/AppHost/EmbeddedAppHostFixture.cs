using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// One running embedded topology, through the real AppHost, shared by the tests that need it: each start and stop
/// costs about 20 s. It uses the fixed ports a user sees (5000, 8080, 9092) and a data folder of its own.
/// </summary>
public sealed class EmbeddedAppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("gameanalytics-apphost-");

    public DistributedApplication App { get; private set; } = null!;

    public string DataDirectory => _dataDirectory.FullName;

    public async Task InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GameAnalytics_AppHost>([$"--DataDir={DataDirectory}"]);
        App = await appHost.BuildAsync();
        using var cancellation = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cancellation.Token);
        foreach (var resource in new[] { "kafka", "api", "streaming", "query" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        }
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        _dataDirectory.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedAppHostCollection : ICollectionFixture<EmbeddedAppHostFixture>
{
    public const string Name = "Embedded AppHost";
}
