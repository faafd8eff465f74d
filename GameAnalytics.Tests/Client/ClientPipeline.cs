using GameAnalytics.Client;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.Hosting;

namespace GameAnalytics.Tests.Client;

/// <summary>
/// The real pipeline a game's client sends to: the collector on a fixed port (so that it can go down and come back),
/// the dev broker, and the stream processor landing Parquet, read back with DuckDB.
/// </summary>
public sealed class ClientPipeline : IAsyncDisposable
{
    private readonly string _bootstrapServers;
    private readonly IReadOnlyDictionary<string, string?> _collectorSettings;
    private readonly string _topic = $"events-{Guid.NewGuid():N}";
    private readonly TempDirectory _lake = new();
    private readonly IHost _streaming;
    private CollectorFactory? _collector;

    private ClientPipeline(string bootstrapServers, IReadOnlyDictionary<string, string?>? collectorSettings)
    {
        _bootstrapServers = bootstrapServers;
        _collectorSettings = collectorSettings ?? new Dictionary<string, string?>();
        _streaming = StreamingHost.Build(bootstrapServers, _topic, _lake.Path, groupId: $"tests-client-{Guid.NewGuid():N}");
        Lake = new LakeQuery(_lake.Path);
    }

    public Uri Collector { get; } = new($"http://127.0.0.1:{TestPorts.Free()}");

    public LakeQuery Lake { get; }

    /// <summary>The pipeline with its stream processor running; the collector starts with <see cref="StartCollector"/>.</summary>
    public static async Task<ClientPipeline> StartAsync(string bootstrapServers, IReadOnlyDictionary<string, string?>? collectorSettings = null)
    {
        var pipeline = new ClientPipeline(bootstrapServers, collectorSettings);
        await pipeline._streaming.StartAsync();
        return pipeline;
    }

    public void StartCollector()
    {
        var settings = new Dictionary<string, string?>(_collectorSettings) { ["Kafka:Topic"] = _topic };
        _collector = new CollectorFactory(_bootstrapServers, settings);
        _collector.UseKestrel(Collector.Port);
        _collector.StartServer();
    }

    public GameAnalyticsClientOptions Options(Action<GameAnalyticsClientOptions>? configure = null)
    {
        var options = new GameAnalyticsClientOptions
        {
            CollectorUri = Collector,
            BatchSize = 100,
            FlushInterval = TimeSpan.FromMilliseconds(200),
            FirstRetryDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The event ids landed in a table, one per row.</summary>
    public List<string> Landed(string table) => Lake.EventIds(table);

    /// <summary>Waits until the table has <paramref name="rows"/> rows, or fails after the timeout.</summary>
    public Task WaitForRowsAsync(string table, int rows, TimeSpan? timeout = null) =>
        StreamingHost.WaitUntilAsync(() => Landed(table).Count >= rows, $"{rows} rows land in {table}", timeout ?? TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }

        await _streaming.StopAsync();
        _streaming.Dispose();
        Lake.Dispose();
        _lake.Dispose();
    }
}
