using DuckDB.NET.Data;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One query's DuckDB: in memory, with the lake's tables as views in <c>hive.default</c> over a snapshot of their
/// files, and sandboxed so that SQL reaches nothing but the lake (no other files, network, extensions, or settings).
/// </summary>
internal sealed class LakeSession : IDisposable
{
    /// <summary>What <c>version()</c> and <c>/v1/info</c> answer: the Presto release whose protocol and catalog this service follows.</summary>
    public const string PrestoVersion = "0.292";

    private readonly Dictionary<string, IReadOnlyList<TableColumn>> _columns = new(StringComparer.Ordinal);
    private readonly HashSet<MetadataTable> _materialized = [];

    private LakeSession(DuckDBConnection connection, IReadOnlyList<string> names)
    {
        Connection = connection;
        TableNames = names;
    }

    public DuckDBConnection Connection { get; }

    /// <summary>The lake's tables, as of this session's snapshot.</summary>
    public IReadOnlyList<string> TableNames { get; }

    /// <summary>Opens a session whose unqualified names resolve in <paramref name="catalog"/>.<paramref name="schema"/>, as Presto's do.</summary>
    public static LakeSession Open(LakeTables tables, string? catalog = PrestoCatalog.Hive, string? schema = PrestoCatalog.Default)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            var lake = Literal(Path.GetFullPath(tables.LakeRoot));
            // This order matters: the allowed folder first, then no external access, then locking it all.
            Execute(connection, $"set allowed_directories = [{lake}]");
            Execute(connection, "set enable_external_access = false");
            Execute(connection, "set autoinstall_known_extensions = false");
            Execute(connection, "set autoload_known_extensions = false");
            Execute(connection, "set TimeZone = 'UTC'");
            // Presto divides integers as integers: count(*) * 100 / 3 is 66, not 66.67.
            Execute(connection, "set integer_division = true");
            Execute(connection, $"attach ':memory:' as {PrestoCatalog.Hive}");
            Execute(connection, $"create schema {PrestoCatalog.Hive}.{Identifier(PrestoCatalog.Default)}");
            var names = tables.Names();
            foreach (var table in names)
            {
                var files = string.Join(", ", tables.Files(table).Select(Literal));
                Execute(connection, $"create view {LakeTable(table)} as select * from read_parquet([{files}], hive_partitioning = true)");
            }

            Execute(connection, $"create temp macro version() as '{PrestoVersion}'");
            Execute(connection, "set lock_configuration = true");
            if (PrestoCatalog.IsLakeSchema(catalog ?? PrestoCatalog.Hive, schema ?? PrestoCatalog.Default))
            {
                Execute(connection, $"use {PrestoCatalog.Hive}.{Identifier(PrestoCatalog.Default)}");
            }

            return new LakeSession(connection, names);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every table a client can name, as Presto lists them: the lake's, then the metadata tables.</summary>
    public IEnumerable<(string Catalog, string Schema, string Table)> Relations() =>
        TableNames.Select(name => (PrestoCatalog.Hive, PrestoCatalog.Default, name))
            .Concat(MetadataTable.All.Select(table => (table.Catalog, table.Schema, table.Name)));

    /// <summary>A table's columns with Presto's types, or null when there is no such table.</summary>
    public IReadOnlyList<TableColumn>? Columns(string catalog, string schema, string table)
    {
        if (MetadataTable.Find(catalog, schema, table) is { } metadata)
        {
            return metadata.Columns;
        }

        if (!PrestoCatalog.IsLakeSchema(catalog, schema) || !TableNames.Contains(table))
        {
            return null;
        }

        if (!_columns.TryGetValue(table, out var columns))
        {
            columns = Describe($"select * from {LakeTable(table)}")
                .Select(column => new TableColumn(column.Name, PrestoType.FromDuckDb(column.Type), column.Name == PrestoCatalog.PartitionColumn))
                .ToList();
            _columns[table] = columns;
        }

        return columns;
    }

    /// <summary>Column names and DuckDB types of a query, without running it.</summary>
    public List<(string Name, string Type)> Describe(string query)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = $"describe {query}";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>Fills the metadata tables a query reads, with this session's tables and the client's type names.</summary>
    public void Materialize(IEnumerable<MetadataTable> tables, SqlDialect dialect)
    {
        foreach (var table in tables.Where(_materialized.Add))
        {
            table.Create(this, dialect);
        }
    }

    public static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"")}\"";

    public static string Literal(string text) => $"'{text.Replace("'", "''")}'";

    private static string LakeTable(string table) => $"{PrestoCatalog.Hive}.{Identifier(PrestoCatalog.Default)}.{Identifier(table)}";

    public void Execute(string sql) => Execute(Connection, sql);

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}

/// <summary>A table's column as Presto describes it; the partition column is marked as Hive marks it.</summary>
internal sealed record TableColumn(string Name, PrestoType Type, bool IsPartitionKey = false);
