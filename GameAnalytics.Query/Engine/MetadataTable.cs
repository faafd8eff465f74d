using DuckDB.NET.Data;
using GameAnalytics.Lake.Sql;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One of the tables that BI tools and drivers read before they query: Presto's <c>information_schema</c> and the
/// JDBC driver's <c>system.jdbc</c>, with Presto's columns and type names. A query that names one reads a DuckDB
/// table of that session's tables, built on demand as a temporary table of the query's connection.
/// </summary>
internal sealed class MetadataTable
{
    /// <summary>The metadata tables are temporary tables of the query's own connection.</summary>
    public const string DuckDbCatalog = "temp";

    public const string DuckDbSchema = "main";

    private readonly Func<LakeSession, SqlDialect, IEnumerable<object?[]>> _rows;

    private MetadataTable(string catalog, string schema, string name, string columns, Func<LakeSession, SqlDialect, IEnumerable<object?[]>> rows)
    {
        Catalog = catalog;
        Schema = schema;
        Name = name;
        Columns = columns.Split(',', StringSplitOptions.TrimEntries).Select(column => column.Split(' ')).Select(parts =>
            new TableColumn(parts[0], parts.Length > 1 ? PrestoType.Simple(parts[1]) : PrestoType.Varchar)).ToList();
        _rows = rows;
    }

    public string Catalog { get; }

    public string Schema { get; }

    public string Name { get; }

    public string DuckDbName => $"{Catalog}_{Schema}_{Name}";

    public IReadOnlyList<TableColumn> Columns { get; }

    public static IReadOnlyList<MetadataTable> All { get; } =
    [
        new(PrestoCatalog.Hive, PrestoCatalog.InformationSchema, "schemata", "catalog_name, schema_name",
            (_, _) => PrestoCatalog.Schemas(PrestoCatalog.Hive).Select(schema => Row(PrestoCatalog.Hive, schema))),
        new(PrestoCatalog.Hive, PrestoCatalog.InformationSchema, "tables", "table_catalog, table_schema, table_name, table_type",
            (session, _) => session.Relations().Where(table => table.Catalog == PrestoCatalog.Hive)
                .Select(table => Row(table.Catalog, table.Schema, table.Table, "BASE TABLE"))),
        new(PrestoCatalog.Hive, PrestoCatalog.InformationSchema, "columns",
            "table_catalog, table_schema, table_name, column_name, ordinal_position bigint, column_default, is_nullable, data_type, comment, extra_info",
            (session, dialect) => ColumnsOf(session, PrestoCatalog.Hive).Select(column => Row(column.Catalog, column.Schema, column.Table,
                column.Column.Name, column.Ordinal, null, "YES", column.Column.Type.Display(dialect), null, column.Column.IsPartitionKey ? "partition key" : null))),
        new(PrestoCatalog.Hive, PrestoCatalog.InformationSchema, "views", "table_catalog, table_schema, table_name, view_definition",
            (_, _) => []),
        new(PrestoCatalog.System, PrestoCatalog.Jdbc, "catalogs", "table_cat",
            (_, _) => PrestoCatalog.Catalogs.Select(catalog => Row(catalog))),
        new(PrestoCatalog.System, PrestoCatalog.Jdbc, "schemas", "table_schem, table_catalog",
            (_, _) => PrestoCatalog.Catalogs.SelectMany(catalog => PrestoCatalog.Schemas(catalog).Select(schema => Row(schema, catalog)))),
        new(PrestoCatalog.System, PrestoCatalog.Jdbc, "table_types", "table_type",
            (_, _) => [Row("TABLE"), Row("VIEW")]),
        new(PrestoCatalog.System, PrestoCatalog.Jdbc, "tables",
            "table_cat, table_schem, table_name, table_type, remarks, type_cat, type_schem, type_name, self_referencing_col_name, ref_generation",
            (session, _) => session.Relations().Select(table => Row(table.Catalog, table.Schema, table.Table, "TABLE", null, null, null, null, null, null))),
        new(PrestoCatalog.System, PrestoCatalog.Jdbc, "columns",
            "table_cat, table_schem, table_name, column_name, data_type bigint, type_name, column_size bigint, buffer_length bigint, " +
            "decimal_digits bigint, num_prec_radix bigint, nullable bigint, remarks, column_def, sql_data_type bigint, sql_datetime_sub bigint, " +
            "char_octet_length bigint, ordinal_position bigint, is_nullable, scope_catalog, scope_schema, scope_table, source_data_type bigint, " +
            "is_autoincrement, is_generatedcolumn",
            (session, dialect) => ColumnsOf(session, catalog: null).Select(column =>
            {
                var jdbc = JdbcType.Of(column.Column.Type);
                return Row(column.Catalog, column.Schema, column.Table, column.Column.Name, jdbc.DataType, column.Column.Type.Display(dialect),
                    jdbc.ColumnSize, null, jdbc.DecimalDigits, jdbc.Radix, JdbcType.ColumnNullable, null, null, null, null,
                    column.Column.Type.Name == "varchar" ? jdbc.ColumnSize : null, column.Ordinal, "YES", null, null, null, null, "NO", "NO");
            })),
        new(PrestoCatalog.System, PrestoCatalog.Jdbc, "types",
            "type_name, data_type bigint, precision bigint, literal_prefix, literal_suffix, create_params, nullable bigint, case_sensitive boolean, " +
            "searchable bigint, unsigned_attribute boolean, fixed_prec_scale boolean, auto_increment boolean, local_type_name, minimum_scale bigint, " +
            "maximum_scale bigint, sql_data_type bigint, sql_datetime_sub bigint, num_prec_radix bigint",
            (_, dialect) => JdbcType.Served.Select(type =>
            {
                var jdbc = JdbcType.Of(type);
                return Row(type.Display(dialect), jdbc.DataType, jdbc.ColumnSize, null, null, null, JdbcType.ColumnNullable, type.Name == "varchar",
                    JdbcType.Searchable, false, false, false, null, 0L, type.Name == "decimal" ? 38L : 0L, null, null, jdbc.Radix);
            })),
    ];

    /// <summary>The metadata table a query names, resolving unqualified names against the client's session as Presto does.</summary>
    public static MetadataTable? Find(string? catalog, string? schema, string table, ClientSession session)
    {
        var effectiveSchema = string.IsNullOrEmpty(schema) ? session.Schema ?? PrestoCatalog.Default : schema;
        var effectiveCatalog = string.IsNullOrEmpty(catalog) ? session.Catalog ?? PrestoCatalog.Hive : catalog;
        // DuckDB keeps an information_schema of its own in every database: every such name means ours.
        return effectiveSchema.Equals(PrestoCatalog.InformationSchema, StringComparison.OrdinalIgnoreCase)
            ? Find(PrestoCatalog.Hive, PrestoCatalog.InformationSchema, table)
            : Find(effectiveCatalog, effectiveSchema, table);
    }

    public static MetadataTable? Find(string catalog, string schema, string table) =>
        All.FirstOrDefault(candidate => candidate.Catalog.Equals(catalog, StringComparison.OrdinalIgnoreCase)
            && candidate.Schema.Equals(schema, StringComparison.OrdinalIgnoreCase)
            && candidate.Name.Equals(table, StringComparison.OrdinalIgnoreCase));

    /// <summary>Builds this table for one session: created, then filled with its rows.</summary>
    public void Create(LakeSession session, SqlDialect dialect)
    {
        var target = $"{DuckDbCatalog}.{DuckDbSchema}.{SqlText.Identifier(DuckDbName)}";
        session.Execute($"create temp table {SqlText.Identifier(DuckDbName)} ({string.Join(", ", Columns.Select(column => $"{SqlText.Identifier(column.Name)} {column.Type.Name}"))})");

        using var insert = session.Connection.CreateCommand();
        insert.CommandText = $"insert into {target} values ({string.Join(", ", Columns.Select(_ => "?"))})";
        foreach (var row in _rows(session, dialect))
        {
            insert.Parameters.Clear();
            foreach (var value in row)
            {
                insert.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
            }

            insert.ExecuteNonQuery();
        }
    }

    private static IEnumerable<(string Catalog, string Schema, string Table, TableColumn Column, long Ordinal)> ColumnsOf(LakeSession session, string? catalog) =>
        session.Relations()
            .Where(table => catalog is null || table.Catalog == catalog)
            .SelectMany(table => (session.Columns(table.Catalog, table.Schema, table.Table) ?? [])
                .Select((column, index) => (table.Catalog, table.Schema, table.Table, column, (long)index + 1)));

    private static object?[] Row(params object?[] values) => values;
}
