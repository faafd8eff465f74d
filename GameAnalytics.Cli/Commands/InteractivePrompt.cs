using System.Text;
using Spectre.Console;

namespace GameAnalytics.Cli.Commands;

/// <summary>
/// The Presto CLI's prompt: statements end with a semicolon and may span lines; <c>quit</c> or <c>exit</c> leaves.
/// On a terminal, the arrow keys walk the history of statements.
/// </summary>
internal sealed class InteractivePrompt(SqlRunner runner, IAnsiConsole console, TextReader input)
{
    private readonly List<string> _history = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var statement = new StringBuilder();
        while (!cancellationToken.IsCancellationRequested)
        {
            console.Markup(statement.Length == 0 ? $"presto:{Markup.Escape(runner.Client.Options.Schema)}> " : "     -> ");
            var line = ReadLine();
            if (line is null)
            {
                console.WriteLine();
                return GameCtl.Ok;
            }

            if (statement.Length == 0 && line.Trim().TrimEnd(';') is "quit" or "exit")
            {
                return GameCtl.Ok;
            }

            statement.AppendLine(line);
            var text = statement.ToString().Trim();
            if (!text.EndsWith(';'))
            {
                continue;
            }

            statement.Clear();
            _history.Add(text);
            await runner.RunAsync(text.TrimEnd(';'), cancellationToken);
        }

        return GameCtl.Ok;
    }

    private string? ReadLine() =>
        input == Console.In && !Console.IsInputRedirected ? ReadLineWithHistory() : input.ReadLine();

    /// <summary>A small line editor: typing, backspace, and up/down through earlier statements.</summary>
    private string? ReadLineWithHistory()
    {
        var line = new StringBuilder();
        var position = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return line.ToString();
                case ConsoleKey.Backspace when line.Length > 0:
                    line.Length--;
                    Console.Write("\b \b");
                    break;
                case ConsoleKey.UpArrow or ConsoleKey.DownArrow when _history.Count > 0:
                    position = Math.Clamp(position + (key.Key == ConsoleKey.UpArrow ? -1 : 1), 0, _history.Count);
                    Console.Write(new string('\b', line.Length) + new string(' ', line.Length) + new string('\b', line.Length));
                    line.Clear().Append(position < _history.Count ? _history[position].ReplaceLineEndings(" ") : "");
                    Console.Write(line.ToString());
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0:
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Append(key.KeyChar);
                        Console.Write(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
