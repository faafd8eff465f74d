using DuckDB.NET.Data;
using GameAnalytics.Lake;
using GameAnalytics.Lake.Sql;
using GameAnalytics.Lake.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// The query service's one DuckDB database, with a connection per query. Memory, threads and spilling are
/// DuckDB settings of a database, not of a query, so they bound all queries together here. The lake's tables
/// are views in <c>hive.default</c> over each table's snapshot, made again only for the tables that changed.
/// </summary>
internal sealed partial class LakeDatabase : IDisposable
{
    // A missed file event must not leave the views stale for long: replaced files stay on disk for 10 minutes.
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(30);

    private readonly DuckDBConnection _root;
    private readonly LakeTables _tables;
    private readonly ILogger<LakeDatabase> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Lock _refresh = new();
    private readonly bool _ownsSpillDirectory;
    private readonly Dictionary<string, IReadOnlyList<string>> _views = new(StringComparer.Ordinal);
    private volatile bool _changed = true;
    private DateTime _refreshedAt;
    private IReadOnlyList<string> _names = [];

    public LakeDatabase(LakeTables tables, IOptions<LakeOptions> lake, IOptions<QueryOptions> options, ILogger<LakeDatabase> logger)
    {
        _tables = tables;
        _logger = logger;
        var settings = options.Value;
        _ownsSpillDirectory = string.IsNullOrEmpty(settings.TempDirectory);
        SpillDirectory = Path.GetFullPath(_ownsSpillDirectory
            ? Path.Combine(Path.GetTempPath(), "gameanalytics-query", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : settings.TempDirectory);
        Directory.CreateDirectory(SpillDirectory);
        LakeRoot = Path.GetFullPath(lake.Value.Root);
        // DuckDB's sandbox and the watcher need the folder before the first commit makes it.
        Directory.CreateDirectory(LakeRoot);

        _root = new DuckDBConnection("DataSource=:memory:");
        _root.Open();
        Execute($"set memory_limit = {SqlText.Literal(settings.MemoryLimit)}");
        Execute($"set threads = {settings.Threads}");
        Execute($"set temp_directory = {SqlText.Literal(SpillDirectory)}");
        Execute($"set max_temp_directory_size = {SqlText.Literal(settings.MaxTempDirectorySize)}");
        // This order matters: the allowed folder first, then no external access, then locking it all.
        Execute($"set allowed_directories = [{SqlText.Literal(LakeRoot)}]");
        Execute("set enable_external_access = false");
        Execute("set autoinstall_known_extensions = false");
        Execute("set autoload_known_extensions = false");
        // Global, so that every query's connection starts with them. Presto divides integers as integers:
        // count(*) * 100 / 3 is 66, not 66.67.
        Execute("set global TimeZone = 'UTC'");
        Execute("set global integer_division = true");
        // Lake files never change once committed (a compaction writes new ones), so their Parquet footers may be
        // kept between queries rather than read again by each.
        Execute("set global parquet_metadata_cache = true");
        Execute($"attach ':memory:' as {PrestoCatalog.Hive}");
        Execute($"create schema {PrestoCatalog.Hive}.{SqlText.Identifier(PrestoCatalog.Default)}");
        // version() answers as Presto's does, where unqualified names resolve in hive.default.
        Execute($"create macro {PrestoCatalog.Hive}.{SqlText.Identifier(PrestoCatalog.Default)}.version() as '{LakeSession.PrestoVersion}'");
        Execute("set lock_configuration = true");

        _watcher = new FileSystemWatcher(LakeRoot) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName };
        _watcher.Created += (_, _) => _changed = true;
        _watcher.Deleted += (_, _) => _changed = true;
        _watcher.Renamed += (_, _) => _changed = true;
        _watcher.Error += (_, _) => _changed = true;
        _watcher.EnableRaisingEvents = true;
    }

    public string LakeRoot { get; }

    public string SpillDirectory { get; }

    /// <summary>The folders of this server that no answer or error may name.</summary>
    public IReadOnlyList<string> ServerFolders => [LakeRoot, SpillDirectory];

    /// <summary>Counts the changes of the lake's views: an answer computed at one version holds until the next.</summary>
    public long Version { get; private set; }

    /// <summary>A connection of its own for one query, whose unqualified names resolve in <paramref name="catalog"/>.<paramref name="schema"/>.</summary>
    public LakeSession OpenSession(string? catalog = PrestoCatalog.Hive, string? schema = PrestoCatalog.Default)
    {
        var (names, _) = Snapshot();
        var connection = _root.Duplicate();
        try
        {
            connection.Open();
            return LakeSession.Open(connection, names, catalog, schema);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Brings the views up to the lake's committed files, when the lake changed since the last look: the tables and the version.</summary>
    public (IReadOnlyList<string> Tables, long Version) Snapshot()
    {
        lock (_refresh)
        {
            if (!_changed && DateTime.UtcNow - _refreshedAt < MaxStaleness)
            {
                return (_names, Version);
            }

            // Cleared before the listing, so that a change during it is seen next time.
            _changed = false;
            _refreshedAt = DateTime.UtcNow;
            var names = _tables.Names();
            var changed = false;
            foreach (var table in names)
            {
                try
                {
                    var files = _tables.Files(table);
                    if (_views.TryGetValue(table, out var known) && known.SequenceEqual(files))
                    {
                        continue;
                    }

                    var list = string.Join(", ", files.Select(SqlText.Literal));
                    Execute($"create or replace view {LakeSession.LakeTable(table)} as select * from read_parquet([{list}], hive_partitioning = true, union_by_name = true)");
                    _views[table] = files;
                    changed = true;
                }
                catch (Exception ex) when (ex is DuckDBException or IOException)
                {
                    // One table's unreadable file must not stop the others: its last good view stands, and it is tried again.
                    LogViewFailed(ex, table);
                    _changed = true;
                }
            }

            names = names.Where(_views.ContainsKey).ToList();
            foreach (var gone in _views.Keys.Except(names).ToList())
            {
                Execute($"drop view if exists {LakeSession.LakeTable(gone)}");
                _views.Remove(gone);
                changed = true;
            }

            if (changed)
            {
                Version++;
            }

            _names = names;
            return (names, Version);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The view of table {Table} could not be made again; its last good snapshot stays")]
    private partial void LogViewFailed(Exception exception, string table);

    private void Execute(string sql)
    {
        using var command = _root.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _root.Dispose();
        if (_ownsSpillDirectory && Directory.Exists(SpillDirectory))
        {
            Directory.Delete(SpillDirectory, recursive: true);
        }
    }
}
