using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.Query;

/// <summary>The query service through raw HTTP, as any Presto client speaks to it, over the original's traffic.</summary>
public sealed class PrestoProtocolTests : IClassFixture<OriginalTrafficLake>, IDisposable
{
    private readonly WebApplicationFactory<QueryResults> _service;
    private readonly HttpClient _client;

    public PrestoProtocolTests(OriginalTrafficLake lake)
    {
        _service = new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Lake:Root", lake.Root);
            builder.UseSetting("Query:PageRows", "50");
        });
        _client = _service.CreateClient();
    }

    [Fact]
    public async Task The_original_insight_queries_give_the_original_answers()
    {
        var percent = await PrestoHttp.RunAsync(_client, "select count(distinct host) * 100 / 3 as percent_users from join_guilds");
        var catches = await PrestoHttp.RunAsync(_client, "select count(*) / count(distinct host) as avg_catch from catch_butterflies");
        var slays = await PrestoHttp.RunAsync(_client, "select count(*) / count(distinct host) as avg_slays from slay_dragons");

        Assert.Equal(66, PrestoHttp.Single(percent).GetInt64());
        Assert.Equal(44, PrestoHttp.Single(catches).GetInt64());
        Assert.Equal(22, PrestoHttp.Single(slays).GetInt64());
        var column = Assert.Single(percent[^1].GetProperty("columns").EnumerateArray());
        Assert.Equal("percent_users", column.GetProperty("name").GetString());
        Assert.Equal("bigint", column.GetProperty("type").GetString());
        Assert.Equal("FINISHED", percent[^1].GetProperty("stats").GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_post_answer_is_queued_with_a_next_uri_and_nothing_else()
    {
        using var post = await PrestoHttp.PostAsync(_client, "select count(*) from sword_purchases");
        var answer = await post.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(["id", "infoUri", "nextUri", "stats", "warnings"], answer.EnumerateObject().Select(field => field.Name));
        Assert.Matches(@"^\d{8}_\d{6}_\d{5}_[a-z2-9]{5}$", answer.GetProperty("id").GetString());
        Assert.Matches(@"^http://localhost/v1/statement/queued/[^/]+/[^/]+/1$", answer.GetProperty("nextUri").GetString());
        Assert.Equal("QUEUED", answer.GetProperty("stats").GetProperty("state").GetString());
        Assert.True(answer.GetProperty("stats").GetProperty("queued").GetBoolean());
        Assert.False(answer.GetProperty("stats").GetProperty("scheduled").GetBoolean());
        Assert.Equal(0, answer.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Data_comes_only_from_the_gets_with_columns_on_every_answer_once_known()
    {
        var answers = await PrestoHttp.RunAsync(_client, "select event_id from sword_purchases");

        Assert.All(answers.Where(answer => answer.TryGetProperty("data", out _)), answer =>
        {
            Assert.Contains(answer.GetProperty("stats").GetProperty("state").GetString(), new[] { "RUNNING", "FINISHED" });
            Assert.True(answer.TryGetProperty("columns", out _));
            Assert.NotEqual(0, answer.GetProperty("data").GetArrayLength());
        });
        var firstWithColumns = answers.FindIndex(answer => answer.TryGetProperty("columns", out _));
        Assert.All(answers.Skip(firstWithColumns), answer => Assert.True(answer.TryGetProperty("columns", out _)));
        Assert.False(answers[0].TryGetProperty("data", out _));
        Assert.False(answers[^1].TryGetProperty("nextUri", out _));
        Assert.Equal("FINISHED", answers[^1].GetProperty("stats").GetProperty("state").GetString());
        Assert.Equal(132, answers[^1].GetProperty("stats").GetProperty("processedRows").GetInt64());
    }

    [Fact]
    public async Task A_repeated_get_replays_its_answer_an_older_token_is_gone_and_a_wrong_slug_is_not_found()
    {
        using var post = await PrestoHttp.PostAsync(_client, "select event_id from sword_purchases");
        var next = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextUri").GetString()!;
        var first = await _client.GetStringAsync(next);
        var again = await _client.GetStringAsync(next);
        var following = JsonDocument.Parse(first).RootElement.GetProperty("nextUri").GetString()!;
        await _client.GetStringAsync(following);

        using var stale = await _client.GetAsync(next);
        var parts = next.Split('/');
        parts[^2] = "y" + new string('0', 32);
        using var forged = await _client.GetAsync(string.Join('/', parts));

        Assert.Equal(first, again);
        Assert.Equal(HttpStatusCode.Gone, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
    }

    [Fact]
    public async Task Unnamed_columns_are_named_by_position_as_presto_names_them()
    {
        var answers = await PrestoHttp.RunAsync(_client,
            "select count(*), host, count(distinct user_id) as users, 1 + 1, j.event_type, upper(host) from join_guilds j group by host, j.event_type");

        Assert.Equal(["_col0", "host", "users", "_col3", "event_type", "_col5"], PrestoHttp.ColumnNames(answers));
        Assert.Equal(["_col0"], PrestoHttp.ColumnNames(await PrestoHttp.RunAsync(_client, "select version()")));
        Assert.Equal(["_col0", "_col1"], PrestoHttp.ColumnNames(await PrestoHttp.RunAsync(_client, "select 1, 2 union all select 3, 4")));
        Assert.Equal(["raw_event", "timestamp", "accept", "host", "user-agent", "event_type", "event_id", "user_id", "received_at",
            "client_time", "properties", "kafka_partition", "kafka_offset", "app_id", "dt", "_col15"],
            PrestoHttp.ColumnNames(await PrestoHttp.RunAsync(_client, "select *, 1 from slay_dragons limit 1")));
    }

    [Fact]
    public async Task Trino_clients_are_answered_in_their_own_header_family_and_type_names()
    {
        var trino = new Dictionary<string, string> { ["X-Trino-User"] = "tests" };
        var sql = "select 1.50::decimal(5,2) as m, received_at, [host] as hosts, map {host: kafka_offset} as offsets from slay_dragons limit 1";

        var presto = await PrestoHttp.RunAsync(_client, sql);
        var legacy = await PrestoHttp.RunAsync(_client, sql, trino);
        var parametric = await PrestoHttp.RunAsync(_client, sql, new Dictionary<string, string> { ["X-Trino-User"] = "tests", ["X-Trino-Client-Capabilities"] = "PATH,PARAMETRIC_DATETIME" });

        Assert.Equal(["decimal(5,2)", "timestamp with time zone", "array(varchar)", "map(varchar,bigint)"], Types(presto));
        Assert.Equal(["decimal(5, 2)", "timestamp with time zone", "array(varchar)", "map(varchar, bigint)"], Types(legacy));
        Assert.Equal(["decimal(5, 2)", "timestamp(3) with time zone", "array(varchar)", "map(varchar, bigint)"], Types(parametric));
        Assert.Equal("LONG_LITERAL", Signature(presto, 0).GetProperty("arguments")[0].GetProperty("kind").GetString());
        Assert.True(Signature(presto, 0).TryGetProperty("typeArguments", out _));
        Assert.Equal("LONG", Signature(legacy, 0).GetProperty("arguments")[0].GetProperty("kind").GetString());
        Assert.False(Signature(legacy, 0).TryGetProperty("typeArguments", out _));
        Assert.Equal("TYPE", Signature(legacy, 2).GetProperty("arguments")[0].GetProperty("kind").GetString());
        Assert.Equal("TYPE_SIGNATURE", Signature(presto, 2).GetProperty("arguments")[0].GetProperty("kind").GetString());
        Assert.Equal(3, Signature(parametric, 1).GetProperty("arguments")[0].GetProperty("value").GetInt32());

        var row = Assert.Single(PrestoHttp.Rows(legacy));
        Assert.Equal("1.50", row[0].GetString());
        Assert.EndsWith(" UTC", row[1].GetString());
        Assert.Equal(JsonValueKind.Array, row[2].ValueKind);
        Assert.Equal(JsonValueKind.Number, row[3].GetProperty("user1.datafun.com").ValueKind);
    }

    [Fact]
    public async Task Rows_and_nested_values_use_presto_json_encodings()
    {
        var answers = await PrestoHttp.RunAsync(_client,
            "select {'x': 1, 'y': 'two'} as r, [1.5::double, 'nan'::double] as a, 'ab'::blob as b, 'infinity'::double as inf");

        var row = Assert.Single(PrestoHttp.Rows(answers));
        Assert.Equal("[1,\"two\"]", row[0].GetRawText());
        Assert.Equal("[1.5,\"NaN\"]", row[1].GetRawText());
        Assert.Equal("YWI=", row[2].GetString());
        Assert.Equal("Infinity", row[3].GetString());
        Assert.Equal(["row(x integer,y varchar)", "array(double)", "varbinary", "double"], Types(answers));
        var field = Signature(answers, 0).GetProperty("arguments")[0];
        Assert.Equal("NAMED_TYPE_SIGNATURE", field.GetProperty("kind").GetString());
        Assert.Equal("x", field.GetProperty("value").GetProperty("fieldName").GetProperty("name").GetString());
        Assert.Equal("integer", field.GetProperty("value").GetProperty("typeSignature").GetString());
    }

    [Fact]
    public async Task Set_session_answers_with_the_headers_that_keep_it_in_both_families()
    {
        var (presto, prestoHeaders) = await PrestoHttp.ExchangeAsync(_client, "SET SESSION query_max_run_time = '30s'");
        var (_, trinoHeaders) = await PrestoHttp.ExchangeAsync(_client, "set session query_max_run_time = '2m'", new Dictionary<string, string> { ["X-Trino-User"] = "tests" });
        var (_, resetHeaders) = await PrestoHttp.ExchangeAsync(_client, "reset session query_max_run_time");
        var (_, useHeaders) = await PrestoHttp.ExchangeAsync(_client, "use hive.information_schema");

        Assert.Equal("SET SESSION", presto[^1].GetProperty("updateType").GetString());
        Assert.True(PrestoHttp.Single(presto).GetBoolean());
        Assert.Equal(["query_max_run_time=30s"], prestoHeaders[^1].GetValues("X-Presto-Set-Session"));
        Assert.Equal(["query_max_run_time=2m"], trinoHeaders[^1].GetValues("X-Trino-Set-Session"));
        Assert.False(trinoHeaders[^1].Contains("X-Presto-Set-Session"));
        Assert.Equal(["query_max_run_time"], resetHeaders[^1].GetValues("X-Presto-Clear-Session"));
        Assert.Equal(["hive"], useHeaders[^1].GetValues("X-Presto-Set-Catalog"));
        Assert.Equal(["information_schema"], useHeaders[^1].GetValues("X-Presto-Set-Schema"));
    }

    [Fact]
    public async Task The_session_header_catalog_and_schema_are_honoured()
    {
        var shown = await PrestoHttp.RunAsync(_client, "show session", new Dictionary<string, string> { ["X-Presto-Session"] = "query_max_run_time=20s" });
        var unknown = await PrestoHttp.RunAsync(_client, "select 1", new Dictionary<string, string> { ["X-Presto-Session"] = "no_such_property=1" });
        var invalid = await PrestoHttp.RunAsync(_client, "set session query_max_run_time = 'soon'");
        var inInformationSchema = await PrestoHttp.RunAsync(_client, "select table_name from tables where table_schema = 'default' order by 1",
            new Dictionary<string, string> { ["X-Presto-Schema"] = "information_schema" });
        var elsewhere = await PrestoHttp.RunAsync(_client, "select count(*) from join_guilds", new Dictionary<string, string> { ["X-Presto-Catalog"] = "tpch" });

        Assert.Equal(["Name", "Value", "Default", "Type", "Description"], PrestoHttp.ColumnNames(shown));
        Assert.Equal("query_max_run_time|20s|1m|varchar", string.Join("|", PrestoHttp.RowTexts(shown).Single().Split('|').Take(4)));
        Assert.Equal("INVALID_SESSION_PROPERTY", unknown[^1].GetProperty("error").GetProperty("errorName").GetString());
        Assert.Equal("INVALID_SESSION_PROPERTY", invalid[^1].GetProperty("error").GetProperty("errorName").GetString());
        Assert.Equal(["catch_butterflies", "join_guilds", "slay_dragons", "sword_purchases"], PrestoHttp.RowTexts(inInformationSchema));
        Assert.Equal("MISSING_TABLE", elsewhere[^1].GetProperty("error").GetProperty("errorName").GetString());
    }

    [Fact]
    public async Task Next_uri_uses_the_scheme_and_host_the_client_used_behind_a_proxy()
    {
        using var post = await PrestoHttp.PostAsync(_client, "select 1", new Dictionary<string, string>
        {
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = "sql.example.org",
        });
        var answer = await post.Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("https://sql.example.org/v1/statement/queued/", answer.GetProperty("nextUri").GetString());
        Assert.StartsWith("https://sql.example.org/v1/query/", answer.GetProperty("infoUri").GetString());
    }

    [Fact]
    public async Task Query_info_kill_and_server_info_answer_as_presto_does()
    {
        using var post = await PrestoHttp.PostAsync(_client, "select a.event_id from sword_purchases a, sword_purchases b, sword_purchases c, sword_purchases d");
        var answer = await post.Content.ReadFromJsonAsync<JsonElement>();
        var id = answer.GetProperty("id").GetString();

        using var stranger = await _client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Get, id!, user: "someone-else"));
        using var anonymous = await _client.GetAsync($"/v1/query/{id}");
        using var strangerKill = await _client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Delete, id!, user: "someone-else"));
        using var infoResponse = await _client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Get, id!));
        var info = await infoResponse.Content.ReadFromJsonAsync<JsonElement>();
        using var kill = await _client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Delete, id!));
        using var after = await _client.GetAsync(answer.GetProperty("nextUri").GetString());
        var server = await _client.GetFromJsonAsync<JsonElement>("/v1/info");

        Assert.Equal(HttpStatusCode.Gone, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, strangerKill.StatusCode);
        Assert.Equal(id, info.GetProperty("queryId").GetString());
        Assert.Equal("tests", info.GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.NoContent, kill.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("0.292", server.GetProperty("nodeVersion").GetProperty("version").GetString());
        Assert.True(server.GetProperty("coordinator").GetBoolean());
    }

    private static List<string> Types(IReadOnlyList<JsonElement> answers) =>
        answers[^1].GetProperty("columns").EnumerateArray().Select(column => column.GetProperty("type").GetString()!).ToList();

    private static JsonElement Signature(IReadOnlyList<JsonElement> answers, int column) =>
        answers[^1].GetProperty("columns")[column].GetProperty("typeSignature");

    [Fact]
    public async Task Show_and_describe_answer_as_presto_does()
    {
        Assert.Equal(["hive", "system"], PrestoHttp.Rows(await PrestoHttp.RunAsync(_client, "show catalogs")).Select(row => row[0].GetString()));
        Assert.Equal(["default", "information_schema"], PrestoHttp.Rows(await PrestoHttp.RunAsync(_client, "show schemas")).Select(row => row[0].GetString()));
        Assert.Equal(
            ["catch_butterflies", "join_guilds", "slay_dragons", "sword_purchases"],
            PrestoHttp.Rows(await PrestoHttp.RunAsync(_client, "show tables")).Select(row => row[0].GetString()));

        var describe = PrestoHttp.Rows(await PrestoHttp.RunAsync(_client, "describe join_guilds"));
        Assert.Equal(
            ["raw_event varchar", "timestamp varchar", "accept varchar", "host varchar", "user-agent varchar", "event_type varchar",
             "event_id varchar", "user_id varchar", "received_at timestamp with time zone", "client_time timestamp with time zone",
             "properties varchar", "kafka_partition integer", "kafka_offset bigint", "app_id varchar", "dt date"],
            describe.Select(row => $"{row[0].GetString()} {row[1].GetString()}"));
    }

    [Fact]
    public async Task Counts_and_quoted_identifiers_work()
    {
        Assert.Equal(132, PrestoHttp.Single(await PrestoHttp.RunAsync(_client, "select count(*) from sword_purchases")).GetInt64());
        Assert.Equal(132, PrestoHttp.Single(await PrestoHttp.RunAsync(_client, "select count(*) from sword_purchases where \"user-agent\" = 'ApacheBench/2.3'")).GetInt64());
    }

    [Fact]
    public async Task Values_use_presto_json_encodings()
    {
        var responses = await PrestoHttp.RunAsync(_client,
            "select received_at, dt, kafka_offset, 2.5::double as d, true as b, 1.50::decimal(5,2) as m, timestamp '2026-11-29 20:00:00.250' as ts " +
            "from slay_dragons order by received_at limit 1");

        var row = Assert.Single(PrestoHttp.Rows(responses));
        Assert.Equal("2026-11-29 20:00:00.010 UTC", row[0].GetString());
        Assert.Equal("2026-11-29", row[1].GetString());
        Assert.Equal(JsonValueKind.Number, row[2].ValueKind);
        Assert.Equal(2.5, row[3].GetDouble());
        Assert.True(row[4].GetBoolean());
        Assert.Equal("1.50", row[5].GetString());
        Assert.Equal("2026-11-29 20:00:00.250", row[6].GetString());
        var types = responses[^1].GetProperty("columns").EnumerateArray().Select(column => column.GetProperty("type").GetString());
        Assert.Equal(["timestamp with time zone", "date", "bigint", "double", "boolean", "decimal(5,2)", "timestamp"], types);
    }

    [Fact]
    public async Task Large_results_come_in_pages_through_next_uri()
    {
        var responses = await PrestoHttp.RunAsync(_client, "select event_id from sword_purchases");

        Assert.Equal(132, PrestoHttp.Rows(responses).Count);
        Assert.True(responses.Count(response => response.TryGetProperty("data", out _)) >= 3, "132 rows at 50 a page take at least three pages");
        Assert.All(responses.SkipLast(1), response => Assert.StartsWith("http", response.GetProperty("nextUri").GetString()));
    }

    [Fact]
    public async Task Delete_on_next_uri_cancels_the_query()
    {
        using var first = await PrestoHttp.PostAsync(_client, "select a.event_id from sword_purchases a, sword_purchases b, sword_purchases c, sword_purchases d");
        var answer = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        var next = answer.GetProperty("nextUri").GetString();

        using var cancel = await _client.DeleteAsync(next);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using var after = await _client.GetAsync(next);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_syntax_error_is_a_presto_error_with_line_and_column()
    {
        var responses = await PrestoHttp.RunAsync(_client, "select count(*)\nfrom join_guilds\nwhre host = 'x'");

        var error = responses[^1].GetProperty("error");
        Assert.Equal("SYNTAX_ERROR", error.GetProperty("errorName").GetString());
        Assert.Equal(1, error.GetProperty("errorCode").GetInt32());
        Assert.Equal("USER_ERROR", error.GetProperty("errorType").GetString());
        Assert.Equal(3, error.GetProperty("errorLocation").GetProperty("lineNumber").GetInt32());
        Assert.Equal("FAILED", responses[^1].GetProperty("stats").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_missing_table_is_named_as_such()
    {
        var error = (await PrestoHttp.RunAsync(_client, "select * from dragons_hugged"))[^1].GetProperty("error");

        Assert.Equal("MISSING_TABLE", error.GetProperty("errorName").GetString());
        Assert.Equal(1, error.GetProperty("errorLocation").GetProperty("lineNumber").GetInt32());
        Assert.Equal(15, error.GetProperty("errorLocation").GetProperty("columnNumber").GetInt32());
    }

    [Theory]
    [InlineData("select * from read_csv('/etc/passwd')")]
    [InlineData("select * from read_parquet('/etc/*.parquet')")]
    [InlineData("copy (select 1) to '/tmp/escape.csv'")]
    [InlineData("attach '/tmp/escape.db'")]
    [InlineData("install httpfs")]
    [InlineData("pragma version")]
    [InlineData("set enable_external_access = true")]
    [InlineData("create table t as select 1")]
    public async Task Sandbox_escapes_are_refused_with_a_presto_error(string sql)
    {
        var error = (await PrestoHttp.RunAsync(_client, sql))[^1].GetProperty("error");

        Assert.Contains(error.GetProperty("errorName").GetString(), new[] { "PERMISSION_DENIED", "NOT_SUPPORTED" });
        Assert.False(File.Exists("/tmp/escape.csv"));
    }

    [Fact]
    public async Task A_statement_without_a_user_is_refused()
    {
        using var response = await _client.PostAsync("/v1/statement", new StringContent("select 1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public void Dispose()
    {
        _client.Dispose();
        _service.Dispose();
    }
}
