using GameAnalytics.Cli;
using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Spectre.Console.Testing;

namespace GameAnalytics.Tests.Cli;

/// <summary>gamectl against the real query service, its output read as a user reads the terminal.</summary>
public sealed class GameCtlTests : IClassFixture<OriginalTrafficLake>, IDisposable
{
    private readonly WebApplicationFactory<QueryResults> _service;
    private readonly TestConsole _console = new() { EmitAnsiSequences = false };

    public GameCtlTests(OriginalTrafficLake lake)
    {
        _service = new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder => builder.UseSetting("Lake:Root", lake.Root));
        _console.Profile.Width = 160;
    }

    [Fact]
    public async Task Sql_prints_an_aligned_table_and_the_row_count()
    {
        var exit = await RunAsync("sql", "select host, count(*) as swords from sword_purchases group by host order by host");

        Assert.Equal(GameCtl.Ok, exit);
        var lines = _console.Lines.Where(line => line.Contains("datafun")).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.EndsWith("44", line.TrimEnd()));
        Assert.Single(lines.Select(line => line.TrimEnd().Length).Distinct());
        Assert.Contains("(3 rows)", _console.Output);
    }

    [Fact]
    public async Task A_failed_query_prints_the_error_and_exits_non_zero()
    {
        var exit = await RunAsync("sql", "select count(*)\nfrom join_guilds\nwhre 1 = 1");

        Assert.True(exit == GameCtl.QueryFailed, _console.Output);
        Assert.Contains("SYNTAX_ERROR", _console.Output);
        Assert.Contains("at line 3:", _console.Output);
    }

    [Fact]
    public async Task An_unreachable_server_is_said_plainly()
    {
        var exit = await GameCtl.RunAsync(["sql", "select 1", "--server", "http://127.0.0.1:9"], _console);

        Assert.Equal(GameCtl.Unreachable, exit);
        Assert.Contains("Cannot reach http://127.0.0.1:9/", _console.Output);
    }

    [Fact]
    public async Task Tables_and_describe_list_what_the_lake_holds()
    {
        Assert.Equal(GameCtl.Ok, await RunAsync("tables"));
        Assert.Equal(GameCtl.Ok, await RunAsync("describe", "join_guilds"));

        foreach (var table in new[] { "catch_butterflies", "join_guilds", "slay_dragons", "sword_purchases" })
        {
            Assert.Contains(table, _console.Output);
        }

        Assert.Contains(_console.Lines, line => line.Contains("user-agent") && line.Contains("varchar"));
        Assert.Contains(_console.Lines, line => line.Contains("received_at") && line.Contains("timestamp with time zone"));
    }

    [Fact]
    public async Task Insights_answer_the_original_questions()
    {
        Assert.Equal(GameCtl.Ok, await RunAsync("insights"));

        Assert.Contains(_console.Lines, line => line.Contains("Share of users who joined a guild") && line.Contains("66.7%"));
        Assert.Contains(_console.Lines, line => line.Contains("Butterflies caught per catching user") && line.Contains("44"));
        Assert.Contains(_console.Lines, line => line.Contains("Dragons slain per slaying user") && line.Contains("22"));
        Assert.Contains(_console.Lines, line => line.Contains("Catches per slay") && line.Contains('2'));
    }

    [Fact]
    public async Task The_interactive_prompt_runs_statements_that_end_with_a_semicolon()
    {
        var input = new StringReader("select count(*)\nfrom slay_dragons;\nquit\n");

        var exit = await GameCtl.RunAsync(["sql", "--server", _service.Server.BaseAddress.ToString()], _console, _service.Server.CreateHandler(), input);

        Assert.Equal(GameCtl.Ok, exit);
        Assert.Contains("presto:default>", _console.Output);
        Assert.Contains(_console.Lines, line => line.TrimEnd().EndsWith("66"));
        Assert.Contains("(1 row)", _console.Output);
    }

    private Task<int> RunAsync(params string[] args) =>
        GameCtl.RunAsync([.. args, "--server", _service.Server.BaseAddress.ToString()], _console, _service.Server.CreateHandler());

    public void Dispose() => _service.Dispose();
}
