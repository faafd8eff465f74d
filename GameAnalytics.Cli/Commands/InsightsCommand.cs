using GameAnalytics.Lake.Insights;
using GameAnalytics.Presto;
using Spectre.Console;

namespace GameAnalytics.Cli.Commands;

/// <summary>The original analysis' questions (<see cref="InsightQueries"/>), answered from the lake over the Presto protocol.</summary>
internal sealed class InsightsCommand(SqlRunner runner, IAnsiConsole console)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (_, tableRows) = await runner.Client.QueryAllAsync("show tables", cancellationToken);
            var questions = new InsightQueries(tableRows.Select(row => row.GetString(0)).OfType<string>().ToHashSet());
            if (questions.Users is not { } usersQuery)
            {
                console.MarkupLine("[yellow]The lake has no events yet.[/]");
                return GameCtl.Ok;
            }

            var users = await ScalarAsync(usersQuery, cancellationToken);
            var joined = await ScalarAsync(questions.GuildJoiners, cancellationToken);
            var catches = await ScalarAsync(questions.CatchesPerCatcher, cancellationToken);
            var slays = await ScalarAsync(questions.SlaysPerSlayer, cancellationToken);
            var share = users == 0 ? 0 : joined * 100 / users;

            var table = new Table().Border(TableBorder.Rounded).AddColumn("question").AddColumn(new TableColumn("answer").RightAligned());
            table.AddRow("Share of users who joined a guild", $"{share:0.#}%");
            table.AddRow("Butterflies caught per catching user", $"{catches:0.##}");
            table.AddRow("Dragons slain per slaying user", $"{slays:0.##}");
            table.AddRow("Catches per slay", slays > 0 ? $"{catches / slays:0.##}" : "n/a");
            console.Write(table);
            return GameCtl.Ok;
        }
        catch (PrestoQueryException ex)
        {
            console.MarkupLineInterpolated($"[red]Query {ex.QueryId} failed ({ex.ErrorName}):[/] {ex.Message}");
            return GameCtl.QueryFailed;
        }
        catch (HttpRequestException ex)
        {
            console.MarkupLineInterpolated($"[red]Cannot reach {runner.Client.Options.Server}:[/] {ex.Message}");
            return GameCtl.Unreachable;
        }
    }

    /// <summary>The answer, or 0 for a question whose table does not exist yet.</summary>
    private async Task<double> ScalarAsync(string? sql, CancellationToken cancellationToken)
    {
        if (sql is null)
        {
            return 0;
        }

        var (_, rows) = await runner.Client.QueryAllAsync(sql, cancellationToken);
        return rows.Count == 0 || rows[0].IsNull(0) ? 0 : rows[0].GetDouble(0);
    }
}
