using GameAnalytics.Presto;
using Spectre.Console;

namespace GameAnalytics.Cli.Commands;

/// <summary>Runs one statement and prints its result as an aligned table, or its error, as the Presto CLI does.</summary>
internal sealed class SqlRunner(PrestoClient client, IAnsiConsole console)
{
    public PrestoClient Client => client;

    public async Task<int> RunAsync(string sql, CancellationToken cancellationToken)
    {
        try
        {
            var (columns, rows) = await client.QueryAllAsync(sql, cancellationToken);
            Render(columns, rows);
            return GameCtl.Ok;
        }
        catch (PrestoQueryException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line}:{ex.ColumnNumber}" : "";
            console.MarkupLineInterpolated($"[red]Query {ex.QueryId} failed ({ex.ErrorName}){where}:[/] {ex.Message}");
            return GameCtl.QueryFailed;
        }
        catch (HttpRequestException ex)
        {
            console.MarkupLineInterpolated($"[red]Cannot reach {client.Options.Server}:[/] {ex.Message}");
            return GameCtl.Unreachable;
        }
    }

    public void Render(IReadOnlyList<PrestoColumn> columns, IReadOnlyList<PrestoRow> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            var header = new TableColumn(Markup.Escape(column.Name));
            table.AddColumn(IsNumeric(column.Type) ? header.RightAligned() : header);
        }

        foreach (var row in rows)
        {
            table.AddRow(Enumerable.Range(0, row.Count).Select(i => new Text(row.GetString(i) ?? "NULL")).ToArray());
        }

        console.Write(table);
        console.WriteLine($"({rows.Count} {(rows.Count == 1 ? "row" : "rows")})");
    }

    private static bool IsNumeric(string type) =>
        type is "bigint" or "integer" or "smallint" or "tinyint" or "double" or "real" || type.StartsWith("decimal", StringComparison.Ordinal);
}
