using GameAnalytics.Presto;
using Spectre.Console;

namespace GameAnalytics.Cli.Commands;

/// <summary>The original analysis' two questions, answered from the lake.</summary>
internal sealed class InsightsCommand(SqlRunner runner, IAnsiConsole console)
{
    private static readonly string[] EventTables = ["sword_purchases", "join_guilds", "slay_dragons", "catch_butterflies", "default_hits"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (_, tableRows) = await runner.Client.QueryAllAsync("show tables", cancellationToken);
            var present = tableRows.Select(row => row.GetString(0)).ToHashSet();
            var users = string.Join(" union ", EventTables.Where(present.Contains).Select(table => $"select host from {table}"));
            if (users.Length == 0)
            {
                console.MarkupLine("[yellow]The lake has no events yet.[/]");
                return GameCtl.Ok;
            }

            var joined = present.Contains("join_guilds")
                ? await ScalarAsync($"select count(distinct host) * 100.0 / (select count(*) from ({users})) from join_guilds", cancellationToken) : 0;
            var catches = present.Contains("catch_butterflies")
                ? await ScalarAsync("select count(*) * 1.0 / count(distinct host) from catch_butterflies", cancellationToken) : 0;
            var slays = present.Contains("slay_dragons")
                ? await ScalarAsync("select count(*) * 1.0 / count(distinct host) from slay_dragons", cancellationToken) : 0;

            var table = new Table().Border(TableBorder.Rounded).AddColumn("question").AddColumn(new TableColumn("answer").RightAligned());
            table.AddRow("Share of users who joined a guild", $"{joined:0.#}%");
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

    private async Task<double> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        var (_, rows) = await runner.Client.QueryAllAsync(sql, cancellationToken);
        return rows.Count == 0 || rows[0].IsNull(0) ? 0 : rows[0].GetDouble(0);
    }
}
