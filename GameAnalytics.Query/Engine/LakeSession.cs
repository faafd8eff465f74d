using DuckDB.NET.Data;
using GameAnalytics.Lake.Sql;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One query's connection to the lake's database (<see cref="LakeDatabase"/>), which is sandboxed so that SQL
/// reaches nothing but the lake (no other files, network, extensions, or settings). The metadata tables a query
/// reads are temporary tables of its own connection.
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

    /// <summary>Makes a connection of the lake's database one query's session, resolving unqualified names in <paramref name="catalog"/>.<paramref name="schema"/>.</summary>
    public static LakeSession Open(DuckDBConnection connection, IReadOnlyList<string> names, string? catalog, string? schema)
    {
        var session = new LakeSession(connection, names);
        if (PrestoCatalog.IsLakeSchema(catalog ?? PrestoCatalog.Hive, schema ?? PrestoCatalog.Default))
        {
            session.Execute($"use {PrestoCatalog.Hive}.{SqlText.Identifier(PrestoCatalog.Default)}");
        }

        // One snapshot of the catalog for the whole query: a view made again meanwhile does not change its columns
        // between the DESCRIBE that names them and the run that fills them.
        session.Execute("begin transaction");
        return session;
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

    public static string LakeTable(string table) => $"{PrestoCatalog.Hive}.{SqlText.Identifier(PrestoCatalog.Default)}.{SqlText.Identifier(table)}";

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }


    public void Dispose() => Connection.Dispose();
}

/// <summary>A table's column as Presto describes it; the partition column is marked as Hive marks it.</summary>
internal sealed record TableColumn(string Name, PrestoType Type, bool IsPartitionKey = false);
