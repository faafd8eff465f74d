using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.Query;

/// <summary>Live data, concurrency and the time limit of the query service.</summary>
public sealed class QueryServiceBehaviourTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    [Fact]
    public async Task A_count_grows_as_new_files_land()
    {
        using var service = Service();
        using var client = service.CreateClient();
        Land(sequence: 0, count: 100);
        var before = PrestoHttp.Single(await PrestoHttp.RunAsync(client, "select count(*) from sword_purchases")).GetInt64();

        Land(sequence: 1, count: 50);
        var after = PrestoHttp.Single(await PrestoHttp.RunAsync(client, "select count(*) from sword_purchases")).GetInt64();

        Assert.Equal(100, before);
        Assert.Equal(150, after);
    }

    [Fact]
    public async Task Several_queries_run_at_once()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service();
        using var client = service.CreateClient();

        var counts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
            PrestoHttp.Single(await PrestoHttp.RunAsync(client, $"select count(*) + {i} from sword_purchases")).GetInt64() - i));

        Assert.All(counts, count => Assert.Equal(1000, count));
    }

    [Fact]
    public async Task A_query_past_the_time_limit_is_cancelled_with_a_presto_error()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service(("Query:Timeout", "00:00:00.300"));
        using var client = service.CreateClient();

        var responses = await PrestoHttp.RunAsync(client,
            "select count(*) from sword_purchases a, sword_purchases b, sword_purchases c, sword_purchases d where a.event_id < b.event_id");

        var error = responses[^1].GetProperty("error");
        Assert.Equal("EXCEEDED_TIME_LIMIT", error.GetProperty("errorName").GetString());
        Assert.Equal("INSUFFICIENT_RESOURCES", error.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task A_client_can_shorten_the_time_limit_through_its_session()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service();
        using var client = service.CreateClient();

        var responses = await PrestoHttp.RunAsync(client,
            "select count(*) from sword_purchases a, sword_purchases b, sword_purchases c, sword_purchases d where a.event_id < b.event_id",
            new Dictionary<string, string> { ["X-Presto-Session"] = "query_max_run_time=300ms" });

        Assert.Equal("EXCEEDED_TIME_LIMIT", responses[^1].GetProperty("error").GetProperty("errorName").GetString());
        Assert.True(responses[^1].GetProperty("stats").GetProperty("elapsedTimeMillis").GetInt64() < 30_000);
    }

    [Fact]
    public async Task Queries_past_the_running_cap_wait_queued_and_past_the_queue_fail_at_once()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service(("Query:MaxConcurrentQueries", "1"), ("Query:MaxQueuedQueries", "1"));
        using var client = service.CreateClient();
        // A billion rows that the client does not page through: the query holds its place until it is cancelled.
        using var running = await PrestoHttp.PostAsync(client, "select a.event_id from sword_purchases a, sword_purchases b, sword_purchases c");
        var first = await running.Content.ReadFromJsonAsync<JsonElement>();
        await client.GetAsync(first.GetProperty("nextUri").GetString());
        using var waiting = await PrestoHttp.PostAsync(client, "select 1");
        var queued = await client.GetFromJsonAsync<JsonElement>((await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextUri").GetString());
        var refused = await PrestoHttp.RunAsync(client, "select 2");
        await client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Delete, first.GetProperty("id").GetString()!));
        // The waiting query runs once the running one is gone.
        var waited = new List<JsonElement> { queued };
        while (waited[^1].TryGetProperty("nextUri", out var next))
        {
            waited.Add(await client.GetFromJsonAsync<JsonElement>(next.GetString()));
        }

        var admitted = await PrestoHttp.RunAsync(client, "select 3");

        Assert.Equal("QUEUED", queued.GetProperty("stats").GetProperty("state").GetString());
        Assert.Equal("QUERY_QUEUE_FULL", refused[^1].GetProperty("error").GetProperty("errorName").GetString());
        Assert.Equal(1, PrestoHttp.Single(waited).GetInt64());
        Assert.Equal(3, PrestoHttp.Single(admitted).GetInt64());
    }

    [Fact]
    public async Task An_abandoned_query_is_cancelled_and_its_place_released()
    {
        Land(sequence: 0, count: 1000);
        using var service = Service(("Query:MaxConcurrentQueries", "1"), ("Query:AbandonedAfter", "00:00:01"));
        using var client = service.CreateClient();

        using var abandoned = await PrestoHttp.PostAsync(client, "select a.event_id from sword_purchases a, sword_purchases b, sword_purchases c");
        var id = (await abandoned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        // Asking for a query's info is not polling it: the query is still abandoned.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Get, id!))).StatusCode);
        await StreamingHost.WaitUntilAsync(() => client.SendAsync(PrestoHttp.QueryInfo(HttpMethod.Get, id!)).Result.StatusCode == HttpStatusCode.Gone, "the abandoned query is forgotten", TimeSpan.FromSeconds(30));
        var after = await PrestoHttp.RunAsync(client, "select count(*) from sword_purchases");

        Assert.Equal(1000, PrestoHttp.Single(after).GetInt64());
    }

    [Fact]
    public async Task Sql_longer_than_the_limit_is_refused_with_a_presto_error()
    {
        using var service = Service(("Query:MaxSqlLength", "100"));
        using var client = service.CreateClient();

        var answers = await PrestoHttp.RunAsync(client, "select 1 -- " + new string('x', 200));

        Assert.Equal("QUERY_TEXT_TOO_LARGE", answers[^1].GetProperty("error").GetProperty("errorName").GetString());
        Assert.Contains("Query:MaxSqlLength", answers[^1].GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("select * from read_parquet('{lake}/_streaming/*')", "PERMISSION_DENIED")]
    [InlineData("select * from read_parquet('{lake}/sword_purchases/**/*.parquet')", "PERMISSION_DENIED")]
    [InlineData("select * from glob('{lake}/*')", "PERMISSION_DENIED")]
    [InlineData("select * from '{lake}/sword_purchases/dt=2026-11-29/x.parquet'", "MISSING_TABLE")]
    [InlineData("select sql from duckdb_views()", "PERMISSION_DENIED")]
    [InlineData("select sql from duckdb_views", "MISSING_TABLE")]
    [InlineData("select definition from pg_catalog.pg_views", "MISSING_TABLE")]
    [InlineData("select current_setting('allowed_directories')", "PERMISSION_DENIED")]
    [InlineData("select * from hive.default.\"_streaming\"", "MISSING_TABLE")]
    [InlineData("select * from (with \"{lake}/_streaming/s.csv\" as (select 1) select 1) t, \"{lake}/_streaming/s.csv\"", "MISSING_TABLE")]
    [InlineData("with \"{lake}/_streaming/s.csv\" as materialized (select * from \"{lake}/_streaming/s.csv\") select * from \"{lake}/_streaming/s.csv\"", "MISSING_TABLE")]
    [InlineData("select * from (with duckdb_views as (select 1) select * from duckdb_views)", "MISSING_TABLE")]
    [InlineData("with t as (select 1) select * from t, pg_catalog.pg_settings", "MISSING_TABLE")]
    public async Task The_lakes_internals_and_the_servers_folders_stay_hidden(string sql, string error)
    {
        Land(sequence: 0, count: 10);
        Directory.CreateDirectory(Path.Combine(_lake.Path, "_streaming"));
        using var service = Service();
        using var client = service.CreateClient();

        var answers = await PrestoHttp.RunAsync(client, sql.Replace("{lake}", _lake.Path));

        Assert.Equal(error, answers[^1].GetProperty("error").GetProperty("errorName").GetString());
        // The message may repeat what the client typed, but names no other folder of the server.
        var typed = System.Text.RegularExpressions.Regex.Matches(sql.Replace("{lake}", _lake.Path), "'([^']*)'|\"([^\"]*)\"")
            .Select(match => match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
        var message = typed.Aggregate(answers[^1].GetProperty("error").GetProperty("message").GetString()!, (text, literal) => text.Replace(literal, ""));
        Assert.DoesNotContain(_lake.Path, message);
    }

    [Fact]
    public async Task Deep_expressions_and_values_dotnet_cannot_hold_answer_as_presto_would()
    {
        Land(sequence: 0, count: 10);
        using var service = Service();
        using var client = service.CreateClient();

        var sum = await PrestoHttp.RunAsync(client, "select " + string.Join(" + ", Enumerable.Repeat("1", 200)));
        var hash = await PrestoHttp.RunAsync(client, "select hash('a') as h");
        var month = await PrestoHttp.RunAsync(client, "select interval 1 month as m");

        Assert.Equal(200, PrestoHttp.Single(sum).GetInt64());
        Assert.Equal("decimal(20,0)", hash[^1].GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.String, PrestoHttp.Single(hash).ValueKind);
        Assert.Equal("NOT_SUPPORTED", month[^1].GetProperty("error").GetProperty("errorName").GetString());
    }

    [Fact]
    public async Task An_unreadable_file_in_one_table_leaves_the_others_queryable()
    {
        Land(sequence: 0, count: 10);
        var broken = Path.Combine(_lake.Path, "broken_table", "dt=2026-11-29");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, Path.GetFileName(Directory.GetFiles(Path.Combine(_lake.Path, "sword_purchases", "dt=2026-11-29"))[0])), "not parquet");
        using var service = Service();
        using var client = service.CreateClient();

        var count = await PrestoHttp.RunAsync(client, "select count(*) from sword_purchases");

        Assert.Equal(10, PrestoHttp.Single(count).GetInt64());
    }

    [Fact]
    public async Task No_answer_names_the_lakes_folder()
    {
        Land(sequence: 0, count: 10);
        using var service = Service();
        using var client = service.CreateClient();

        foreach (var sql in new[] { "show create table sword_purchases", "select * from information_schema.columns", "select * from system.jdbc.tables", "describe sword_purchases", "select * from sword_purchases" })
        {
            var answers = await PrestoHttp.RunAsync(client, sql);
            Assert.DoesNotContain(_lake.Path, string.Join("\n", answers.Select(answer => answer.GetRawText())));
        }
    }

    [Fact]
    public async Task The_insights_follow_the_lake_and_count_users_by_user_id()
    {
        using var service = Service();
        using var client = service.CreateClient();
        Land(sequence: 0, count: 100);
        var before = await client.GetFromJsonAsync<JsonElement>("/insights/api/summary");
        var again = await client.GetFromJsonAsync<JsonElement>("/insights/api/summary");

        var at = new DateTime(2026, 11, 29, 20, 5, 0, DateTimeKind.Utc);
        LandedEvents.Write(_lake.Path, "sword_purchases", 1, Enumerable.Range(0, 50)
            .Select(i => LandedEvents.Create("purchase_sword", "game-server.example", at, 20_000 + i) with { UserId = $"player{i % 5}" }).ToList());
        await StreamingHost.WaitUntilAsync(
            () => client.GetFromJsonAsync<JsonElement>("/insights/api/summary").Result.GetProperty("guildShare").GetProperty("users").GetInt64() == 6,
            "the summary counts the new players");

        Assert.Equal(1, before.GetProperty("guildShare").GetProperty("users").GetInt64());
        Assert.Equal(before.GetProperty("topUsers").GetRawText(), again.GetProperty("topUsers").GetRawText());
    }

    [Fact]
    public async Task Files_written_before_app_id_existed_still_read_beside_newer_ones()
    {
        var at = new DateTime(2026, 11, 29, 20, 0, 0, DateTimeKind.Utc);
        var old = LandedEvents.Write(_lake.Path, "sword_purchases", 0,
            Enumerable.Range(0, 100).Select(i => LandedEvents.Create("purchase_sword", "user1.datafun.com", at, i)).ToList());
        WithoutColumn(old, "app_id");
        LandedEvents.Write(_lake.Path, "sword_purchases", 1,
            Enumerable.Range(0, 50).Select(i => LandedEvents.Create("purchase_sword", "user2.datafun.com", at, 10_000 + i) with { AppId = "arcade" }).ToList());
        using var service = Service();
        using var client = service.CreateClient();

        var counts = PrestoHttp.RowTexts(await PrestoHttp.RunAsync(client, "select count(*), count(app_id), min(app_id) from sword_purchases"));

        Assert.Equal(["150|50|arcade"], counts);
    }

    /// <summary>Rewrites a lake file as the lake wrote it before the column existed.</summary>
    private static void WithoutColumn(string file, string column)
    {
        var copy = file + ".old";
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"copy (select * exclude ({column}) from read_parquet('{file}')) to '{copy}' (format parquet)";
            command.ExecuteNonQuery();
        }

        File.Move(copy, file, overwrite: true);
    }

    private WebApplicationFactory<QueryResults> Service(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Lake:Root", _lake.Path);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private void Land(long sequence, int count)
    {
        var at = new DateTime(2026, 11, 29, 20, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, count).Select(i => LandedEvents.Create("purchase_sword", "user1.datafun.com", at, sequence * 10_000 + i)).ToList();
        LandedEvents.Write(_lake.Path, "sword_purchases", sequence, rows);
    }

    public void Dispose() => _lake.Dispose();
}
