using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.Query;

/// <summary>
/// What BI tools and drivers ask before they query, answered as a Presto coordinator with a Hive catalog does. The
/// JDBC statements are the texts that Presto's and Trino's drivers send from DatabaseMetaData (identical in both).
/// </summary>
public sealed class PrestoIntrospectionTests : IClassFixture<OriginalTrafficLake>, IDisposable
{
    private static readonly string[] Tables = ["catch_butterflies", "join_guilds", "slay_dragons", "sword_purchases"];

    private readonly WebApplicationFactory<QueryResults> _service;
    private readonly HttpClient _client;

    public PrestoIntrospectionTests(OriginalTrafficLake lake)
    {
        _service = new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder => builder.UseSetting("Lake:Root", lake.Root));
        _client = _service.CreateClient();
    }

    [Fact]
    public async Task Show_statements_answer_with_presto_columns()
    {
        await Expect("show catalogs", ["Catalog"], ["hive", "system"]);
        await Expect("show schemas from hive", ["Schema"], ["default", "information_schema"]);
        await Expect("SHOW SCHEMAS IN system", ["Schema"], ["jdbc"]);
        await Expect("show tables from hive.default", ["Table"], Tables);
        await Expect("show tables in \"hive\".\"default\" like '%guild%'", ["Table"], ["join_guilds"]);
        await Expect("show tables from system.jdbc like 't%'", ["Table"], ["table_types", "tables", "types"]);

        var columns = await PrestoHttp.RunAsync(_client, "show columns from hive.default.join_guilds");
        Assert.Equal(["Column", "Type", "Extra", "Comment"], PrestoHttp.ColumnNames(columns));
        Assert.Equal("host|varchar||", PrestoHttp.RowTexts(columns)[3]);
        Assert.Equal("dt|date|partition key|", PrestoHttp.RowTexts(columns)[^1]);
        Assert.Equal(PrestoHttp.RowTexts(columns), PrestoHttp.RowTexts(await PrestoHttp.RunAsync(_client, "describe join_guilds")));
    }

    [Fact]
    public async Task Show_create_table_writes_the_hive_table_without_its_server_location()
    {
        var create = await PrestoHttp.RunAsync(_client, "show create table join_guilds");

        Assert.Equal(["Create Table"], PrestoHttp.ColumnNames(create));
        var text = PrestoHttp.Single(create).GetString()!;
        Assert.StartsWith("CREATE TABLE hive.default.join_guilds (\n   raw_event varchar,\n   timestamp varchar,", text);
        Assert.Contains("   \"user-agent\" varchar,\n", text);
        Assert.EndsWith("   dt date\n)\nWITH (\n   format = 'PARQUET',\n   partitioned_by = ARRAY['dt']\n)", text);
        Assert.DoesNotContain("/", text);
    }

    [Fact]
    public async Task Information_schema_describes_the_lake_with_presto_type_names()
    {
        await Expect("select catalog_name, schema_name from information_schema.schemata order by 2", ["catalog_name", "schema_name"],
            ["hive|default", "hive|information_schema"]);
        await Expect("select table_catalog, table_schema, table_name, table_type from hive.information_schema.tables where table_schema = 'default' order by table_name",
            ["table_catalog", "table_schema", "table_name", "table_type"], Tables.Select(table => $"hive|default|{table}|BASE TABLE").ToList());

        var columns = await PrestoHttp.RunAsync(_client,
            "select column_name, ordinal_position, is_nullable, data_type, extra_info from information_schema.columns " +
            "where table_schema = 'default' and table_name = 'join_guilds' order by ordinal_position");
        Assert.Equal(["column_name", "ordinal_position", "is_nullable", "data_type", "extra_info"], PrestoHttp.ColumnNames(columns));
        var rows = PrestoHttp.RowTexts(columns);
        Assert.Equal("raw_event|1|YES|varchar|null", rows[0]);
        Assert.Contains("received_at|9|YES|timestamp with time zone|null", rows);
        Assert.Equal("dt|15|YES|date|partition key", rows[^1]);

        var described = PrestoHttp.RowTexts(await PrestoHttp.RunAsync(_client, "describe join_guilds")).Select(row => string.Join("|", row.Split('|').Take(2)));
        Assert.Equal(described, rows.Select(row => $"{row.Split('|')[0]}|{row.Split('|')[3]}"));
    }

    [Fact]
    public async Task Jdbc_get_catalogs_schemas_and_table_types()
    {
        await Expect("SELECT TABLE_CAT\nFROM system.jdbc.catalogs\nORDER BY TABLE_CAT", ["TABLE_CAT"], ["hive", "system"]);
        await Expect("SELECT TABLE_SCHEM, TABLE_CATALOG\nFROM system.jdbc.schemas\nORDER BY TABLE_CATALOG, TABLE_SCHEM", ["TABLE_SCHEM", "TABLE_CATALOG"],
            ["default|hive", "information_schema|hive", "jdbc|system"]);
        await Expect("SELECT TABLE_SCHEM, TABLE_CATALOG\nFROM system.jdbc.schemas\nWHERE TABLE_CATALOG = 'hive' AND TABLE_SCHEM LIKE 'def%' ESCAPE '\\'\nORDER BY TABLE_CATALOG, TABLE_SCHEM",
            ["TABLE_SCHEM", "TABLE_CATALOG"], ["default|hive"]);
        await Expect("SELECT TABLE_TYPE\nFROM system.jdbc.table_types\nORDER BY TABLE_TYPE", ["TABLE_TYPE"], ["TABLE", "VIEW"]);
    }

    [Fact]
    public async Task Jdbc_get_tables_lists_the_lake()
    {
        var tables = await PrestoHttp.RunAsync(_client,
            "SELECT TABLE_CAT, TABLE_SCHEM, TABLE_NAME, TABLE_TYPE, REMARKS,\n  TYPE_CAT, TYPE_SCHEM, TYPE_NAME,   SELF_REFERENCING_COL_NAME, REF_GENERATION\n" +
            "FROM system.jdbc.tables\nWHERE TABLE_CAT = 'hive' AND TABLE_SCHEM LIKE 'default' ESCAPE '\\' AND TABLE_NAME LIKE '%' ESCAPE '\\' AND TABLE_TYPE IN ('TABLE', 'VIEW')\n" +
            "ORDER BY TABLE_TYPE, TABLE_CAT, TABLE_SCHEM, TABLE_NAME");

        Assert.Equal(["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS", "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION"],
            PrestoHttp.ColumnNames(tables));
        Assert.Equal(Tables.Select(table => $"hive|default|{table}|TABLE|null|null|null|null|null|null"), PrestoHttp.RowTexts(tables));
    }

    [Fact]
    public async Task Jdbc_get_columns_describes_each_column_with_its_sql_type()
    {
        var columns = await PrestoHttp.RunAsync(_client,
            "SELECT TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, DATA_TYPE,\n  TYPE_NAME, COLUMN_SIZE, BUFFER_LENGTH, DECIMAL_DIGITS, NUM_PREC_RADIX,\n" +
            "  NULLABLE, REMARKS, COLUMN_DEF, SQL_DATA_TYPE, SQL_DATETIME_SUB,\n  CHAR_OCTET_LENGTH, ORDINAL_POSITION, IS_NULLABLE,\n" +
            "  SCOPE_CATALOG, SCOPE_SCHEMA, SCOPE_TABLE,\n  SOURCE_DATA_TYPE, IS_AUTOINCREMENT, IS_GENERATEDCOLUMN\nFROM system.jdbc.columns\n" +
            "WHERE TABLE_CAT = 'hive' AND TABLE_SCHEM LIKE 'default' ESCAPE '\\' AND TABLE_NAME LIKE 'slay\\_dragons' ESCAPE '\\' AND COLUMN_NAME LIKE '%' ESCAPE '\\'\n" +
            "ORDER BY TABLE_CAT, TABLE_SCHEM, TABLE_NAME, ORDINAL_POSITION");

        Assert.Equal(24, PrestoHttp.ColumnNames(columns).Count);
        var rows = PrestoHttp.Rows(columns);
        Assert.Equal(15, rows.Count);
        var byName = rows.ToDictionary(row => row[3].GetString()!);
        Assert.Equal((12L, "varchar"), (byName["host"][4].GetInt64(), byName["host"][5].GetString()));
        Assert.Equal((2014L, "timestamp with time zone"), (byName["received_at"][4].GetInt64(), byName["received_at"][5].GetString()));
        Assert.Equal((-5L, "bigint", 19L), (byName["kafka_offset"][4].GetInt64(), byName["kafka_offset"][5].GetString(), byName["kafka_offset"][6].GetInt64()));
        Assert.Equal((4L, "integer"), (byName["kafka_partition"][4].GetInt64(), byName["kafka_partition"][5].GetString()));
        Assert.Equal((91L, 15L), (byName["dt"][4].GetInt64(), byName["dt"][16].GetInt64()));
    }

    [Fact]
    public async Task Jdbc_get_type_info_lists_the_types_answers_use()
    {
        var types = await PrestoHttp.RunAsync(_client,
            "SELECT TYPE_NAME, DATA_TYPE, PRECISION, LITERAL_PREFIX, LITERAL_SUFFIX,\nCREATE_PARAMS, NULLABLE, CASE_SENSITIVE, SEARCHABLE, UNSIGNED_ATTRIBUTE,\n" +
            "FIXED_PREC_SCALE, AUTO_INCREMENT, LOCAL_TYPE_NAME, MINIMUM_SCALE, MAXIMUM_SCALE,\nSQL_DATA_TYPE, SQL_DATETIME_SUB, NUM_PREC_RADIX\nFROM system.jdbc.types\nORDER BY DATA_TYPE");

        var rows = PrestoHttp.Rows(types).ToDictionary(row => row[0].GetString()!, row => row[1].GetInt64());
        Assert.Equal(18, PrestoHttp.ColumnNames(types).Count);
        Assert.Equal(-5, rows["bigint"]);
        Assert.Equal(12, rows["varchar"]);
        Assert.Equal(91, rows["date"]);
        Assert.Equal(2014, rows["timestamp with time zone"]);
        Assert.Equal(PrestoHttp.Rows(types).Select(row => row[1].GetInt64()).Order(), PrestoHttp.Rows(types).Select(row => row[1].GetInt64()));
    }

    [Theory]
    [InlineData("select count(*) from hive.default.join_guilds")]
    [InlineData("select count(*) from \"hive\".\"default\".\"join_guilds\"")]
    [InlineData("select count(*) from default.join_guilds")]
    [InlineData("SELECT COUNT(*) FROM HIVE.DEFAULT.JOIN_GUILDS")]
    public async Task Fully_qualified_names_reach_the_lake(string sql) =>
        Assert.Equal(88, PrestoHttp.Single(await PrestoHttp.RunAsync(_client, sql)).GetInt64());

    [Fact]
    public async Task Version_probes_answer_with_the_presto_version()
    {
        var version = await PrestoHttp.RunAsync(_client, "SELECT version()");

        Assert.Equal(["_col0"], PrestoHttp.ColumnNames(version));
        Assert.Equal("0.292", PrestoHttp.Single(version).GetString());
    }

    private async Task Expect(string sql, string[] columns, IReadOnlyList<string> rows)
    {
        var answers = await PrestoHttp.RunAsync(_client, sql);
        Assert.False(answers[^1].TryGetProperty("error", out var error), $"{sql}: {error}");
        Assert.Equal(columns, PrestoHttp.ColumnNames(answers));
        Assert.Equal(rows, PrestoHttp.RowTexts(answers));
    }

    public void Dispose()
    {
        _client.Dispose();
        _service.Dispose();
    }
}
