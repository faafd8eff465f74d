using System.Threading.Channels;
using GameAnalytics.Lake.Commits;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Presto;
using GameAnalytics.Streaming.Landing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Streaming.Hive;

/// <summary>
/// Tells the Hive metastore, through Presto, of every table and <c>dt</c> partition the lake commits, off the landing
/// thread. A failed registration is tried again: the files are already committed, so nothing is lost meanwhile,
/// they are only not yet visible to Presto and Spark.
/// </summary>
internal sealed partial class HiveTableRegistrar : BackgroundService
{
    private const string ClientName = "gameanalytics-streaming";

    private readonly Channel<string> _tables = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<(string Table, string Dt)> _known = [];
    private readonly HashSet<string> _created = [];
    private readonly PrestoClient _presto;
    private readonly HiveOptions _options;
    private readonly ILakeStorage _storage;
    private readonly ILogger<HiveTableRegistrar> _logger;

    public HiveTableRegistrar(LakeCommitter committer, ILakeStorage storage, IOptions<HiveOptions> options, ILogger<HiveTableRegistrar> logger)
    {
        _options = options.Value;
        _presto = new PrestoClient(new HttpClient(), new PrestoClientOptions
        {
            Server = _options.PrestoEndpoint!,
            User = ClientName,
            Catalog = _options.Catalog,
            Schema = _options.Schema,
            Source = ClientName,
        });
        _storage = storage;
        _logger = logger;
        committer.Published += OnPublished;
    }

    private void OnPublished(CommitRecord commit)
    {
        lock (_known)
        {
            foreach (var file in commit.Files)
            {
                var parts = file.Split('/');
                if (_known.Add((parts[0], parts[1])))
                {
                    _tables.Writer.TryWrite(parts[0]);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var table in _tables.Reader.ReadAllAsync(stoppingToken))
        {
            while (!await TryRegisterAsync(table, stoppingToken))
            {
                await Task.Delay(_options.RetryDelay, stoppingToken);
            }
        }
    }

    private async Task<bool> TryRegisterAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            if (!_created.Contains(table))
            {
                await _presto.QueryAllAsync(HiveTableDefinition.CreateTable(_options.Schema, table, _storage.EnginePath(table)), cancellationToken);
                foreach (var statement in HiveTableDefinition.AddedColumns(_options.Schema, table))
                {
                    try
                    {
                        await _presto.QueryAllAsync(statement, cancellationToken);
                    }
                    catch (PrestoQueryException ex) when (ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
                    {
                        // A table created with the column, or altered before.
                    }
                }

                _created.Add(table);
            }

            await _presto.QueryAllAsync(HiveTableDefinition.SyncPartitions(_options.Catalog, _options.Schema, table), cancellationToken);
            LogRegistered(table);
            return true;
        }
        catch (Exception ex) when (ex is PrestoQueryException or HttpRequestException)
        {
            LogRegistrationFailed(ex, table, _options.RetryDelay);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hive knows table {Table} and its partitions")]
    private partial void LogRegistered(string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register table {Table} in Hive; its files are committed and it is tried again in {RetryDelay}")]
    private partial void LogRegistrationFailed(Exception exception, string table, TimeSpan retryDelay);
}
