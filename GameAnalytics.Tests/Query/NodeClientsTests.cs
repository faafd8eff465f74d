using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Query;

/// <summary>
/// The original's SQL session through Presto's and Trino's clients from npm, which we did not write: each must get
/// the original's answers every time, with every column named as Presto names it.
/// </summary>
public sealed class NodeClientsTests(QueryServiceProcess service) : IClassFixture<QueryServiceProcess>
{
    private const int Repeats = 15;

    private static readonly string[] Session =
    [
        "show tables",
        "describe join_guilds",
        "select count(distinct host) * 100 / 3 as percent_users from join_guilds",
        "select count(*) / count(distinct host) as avg_catch from catch_butterflies",
        "select count(*) / count(distinct host) from slay_dragons",
        "select count(*) from sword_purchases",
    ];

    [Theory]
    [InlineData("presto")]
    [InlineData("trino")]
    public async Task The_original_session_gets_the_original_answers_every_time(string client)
    {
        var statements = Enumerable.Repeat(Session, Repeats).SelectMany(statement => statement).ToList();

        var answers = await NodeSqlClients.RunAsync(client, service.BaseAddress, statements);

        Assert.Equal(statements.Count, answers.Count);
        foreach (var round in answers.Chunk(Session.Length))
        {
            Assert.All(round, answer => Assert.Null(answer.Error));
            Assert.Equal(["Table"], round[0].Columns);
            Assert.Equal(["catch_butterflies", "join_guilds", "slay_dragons", "sword_purchases"], round[0].Rows.Select(row => row[0].GetString()));
            Assert.Equal(["Column", "Type", "Extra", "Comment"], round[1].Columns);
            Assert.Contains(round[1].Rows, row => row[0].GetString() == "host" && row[1].GetString() == "varchar");
            Assert.Contains(round[1].Rows, row => row[0].GetString() == "dt" && row[1].GetString() == "date" && row[2].GetString() == "partition key");

            Assert.Equal(["percent_users"], round[2].Columns);
            Assert.Equal(["bigint"], round[2].Types);
            Assert.Equal(66, Assert.Single(Assert.Single(round[2].Rows)).GetInt64());
            Assert.Equal(["avg_catch"], round[3].Columns);
            var catches = Assert.Single(Assert.Single(round[3].Rows)).GetInt64();
            Assert.Equal(["_col0"], round[4].Columns);
            var slays = Assert.Single(Assert.Single(round[4].Rows)).GetInt64();
            Assert.Equal((44, 2), (catches, catches / slays));
            Assert.Equal(["_col0"], round[5].Columns);
            Assert.Equal(132, Assert.Single(Assert.Single(round[5].Rows)).GetInt64());
        }
    }

    [Fact]
    public async Task Trino_client_keeps_the_session_that_set_session_and_use_return()
    {
        var answers = await NodeSqlClients.RunAsync("trino", service.BaseAddress,
        [
            "set session query_max_run_time = '45s'",
            "show session like 'query_max_run_time'",
            "use hive.information_schema",
            "select table_name from tables where table_schema = 'default' order by 1",
        ]);

        Assert.All(answers, answer => Assert.Null(answer.Error));
        Assert.Equal(["result"], answers[0].Columns);
        Assert.Equal("45s", answers[1].Rows.Single()[1].GetString());
        Assert.Equal(["catch_butterflies", "join_guilds", "slay_dragons", "sword_purchases"], answers[3].Rows.Select(row => row[0].GetString()));
    }

    [Theory]
    [InlineData("presto")]
    [InlineData("trino")]
    public async Task A_failed_query_reaches_the_client_as_its_error(string client)
    {
        var answers = await NodeSqlClients.RunAsync(client, service.BaseAddress, ["select * from dragons_hugged", "select 1"]);

        Assert.Contains("dragons_hugged", answers[0].Error);
        Assert.Null(answers[1].Error);
        Assert.Equal(1, answers[1].Rows.Single().Single().GetInt64());
    }
}
