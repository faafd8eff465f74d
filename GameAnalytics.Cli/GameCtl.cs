using System.CommandLine;
using GameAnalytics.Cli.Commands;
using GameAnalytics.Contracts;
using GameAnalytics.Presto;
using Spectre.Console;

namespace GameAnalytics.Cli;

/// <summary>gamectl's commands: sql, tables, describe and insights, against a Presto-protocol server.</summary>
public static class GameCtl
{
    private static readonly string DefaultServer = $"http://localhost:{DefaultPorts.Query}";

    public const int Ok = 0;
    public const int QueryFailed = 1;
    public const int Unreachable = 2;

    /// <param name="handler">How to reach the server; tests pass an in-memory one.</param>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, HttpMessageHandler? handler = null, TextReader? input = null)
    {
        var server = new Option<Uri>("--server")
        {
            Description = "The Presto-protocol server",
            DefaultValueFactory = _ => new Uri(DefaultServer),
            CustomParser = result =>
            {
                if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri))
                {
                    return uri;
                }

                result.AddError($"--server must be an absolute URL, such as {DefaultServer}");
                return null;
            },
            Recursive = true,
        };
        var user = new Option<string>("--user") { Description = "The user the server sees", DefaultValueFactory = _ => Environment.UserName, Recursive = true };
        var password = new Option<string?>("--password")
        {
            Description = "The user's password, for a server with passwords on (HTTPS only); PRESTO_PASSWORD also sets it",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PRESTO_PASSWORD") is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
            Recursive = true,
        };
        var catalog = new Option<string>("--catalog") { DefaultValueFactory = _ => SqlCatalog.Catalog, Recursive = true };
        var schema = new Option<string>("--schema") { DefaultValueFactory = _ => SqlCatalog.Schema, Recursive = true };
        var trino = new Option<bool>("--trino") { Description = "Send X-Trino-* headers (for a Trino server)", Recursive = true };

        PrestoClient Connect(ParseResult parsed) => new(
            handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false),
            new PrestoClientOptions
            {
                Server = parsed.GetValue(server)!,
                User = parsed.GetValue(user)!,
                Password = parsed.GetValue(password),
                Catalog = parsed.GetValue(catalog)!,
                Schema = parsed.GetValue(schema)!,
                Source = "gamectl",
                Dialect = parsed.GetValue(trino) ? PrestoDialect.Trino : PrestoDialect.Presto,
            });

        var statement = new Argument<string?>("statement") { Description = "The SQL to run; without it, an interactive prompt", Arity = ArgumentArity.ZeroOrOne };
        var sql = new Command("sql", "Run SQL, or start an interactive prompt") { statement };
        sql.SetAction((parsed, cancellationToken) => parsed.GetValue(statement) is { } text
            ? new SqlRunner(Connect(parsed), console).RunAsync(text, cancellationToken)
            : new InteractivePrompt(new SqlRunner(Connect(parsed), console), console, input ?? Console.In).RunAsync(cancellationToken));

        var tables = new Command("tables", "List the tables");
        tables.SetAction((parsed, cancellationToken) => new SqlRunner(Connect(parsed), console).RunAsync("show tables", cancellationToken));

        var table = new Argument<string>("table");
        var describe = new Command("describe", "List a table's columns and types") { table };
        describe.SetAction((parsed, cancellationToken) => new SqlRunner(Connect(parsed), console).RunAsync($"describe {parsed.GetValue(table)}", cancellationToken));

        var insights = new Command("insights", "Answer the game's product questions");
        insights.SetAction((parsed, cancellationToken) => new InsightsCommand(new SqlRunner(Connect(parsed), console), console).RunAsync(cancellationToken));

        var secret = new Argument<string?>("password") { Description = "The password to hash; without it, read from standard input", Arity = ArgumentArity.ZeroOrOne };
        var hashPassword = new Command("hash-password", "Print a password's hash for the query service's Query:Users") { secret };
        hashPassword.SetAction(parsed =>
        {
            var text = parsed.GetValue(secret) ?? (input ?? Console.In).ReadLine() ?? "";
            if (text.Length == 0)
            {
                console.MarkupLine("[red]No password given.[/]");
                return 1;
            }

            console.WriteLine(PasswordHash.Create(text));
            return 0;
        });

        var root = new RootCommand("gamectl: SQL over the GameAnalytics lake, like the Presto CLI, and simulated players")
        {
            server, user, password, catalog, schema, trino, sql, tables, describe, insights, hashPassword,
            SimulateCommand.Create(console, handler),
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = new AnsiWriter(console), Error = new AnsiWriter(console) });
    }
}
