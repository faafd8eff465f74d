using System.Net;
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
            builder.UseSetting("Query:LakeRoot", lake.Root);
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
             "properties varchar", "kafka_partition integer", "kafka_offset bigint", "dt date"],
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
