using System.Diagnostics;
using System.Text.Json;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>
/// Presto's and Trino's clients from npm (<c>presto-client</c>, <c>trino-client</c>), which test.sh installs: they
/// run statements against a server through GameAnalytics.Tests/Clients/run-statements.mjs.
/// </summary>
public static class NodeSqlClients
{
    private static readonly string Folder = Path.Combine(Repository.Root, "GameAnalytics.Tests", "Clients");

    /// <summary>Runs the statements in order, in one session, and returns each one's answer as the client gave it.</summary>
    public static async Task<IReadOnlyList<ClientAnswer>> RunAsync(string client, Uri server, IReadOnlyList<string> statements, ClientCredentials? credentials = null)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", $"{client}-client")))
        {
            Assert.Fail($"The npm package {client}-client is missing from {Folder}: run ./test.sh, which installs it (npm ci there).");
        }

        using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(Folder, "run-statements.mjs"), client, server.ToString()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Folder,
            Environment =
            {
                ["SQL_USER"] = credentials?.User,
                ["SQL_PASSWORD"] = credentials?.Password,
                ["SQL_CA_FILE"] = credentials?.CertificatePemFile,
            },
        }) ?? throw new InvalidOperationException("node did not start");
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(statements));
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node {client} exited with {node.ExitCode}: {await errors}");

        using var answers = JsonDocument.Parse(await output);
        return answers.RootElement.EnumerateArray().Select(answer => new ClientAnswer(
            answer.GetProperty("sql").GetString()!,
            answer.TryGetProperty("columns", out var columns) ? columns.EnumerateArray().Select(column => column.GetProperty("name").GetString()!).ToList() : [],
            answer.TryGetProperty("columns", out columns) ? columns.EnumerateArray().Select(column => column.GetProperty("type").GetString()!).ToList() : [],
            answer.TryGetProperty("rows", out var rows) ? rows.EnumerateArray().Select(row => row.EnumerateArray().Select(value => value.Clone()).ToList()).ToList() : [],
            answer.TryGetProperty("error", out var error) ? error.GetString() : null)).ToList();
    }
}

/// <summary>A user's password, and the PEM certificate the client must trust for the server's HTTPS.</summary>
public sealed record ClientCredentials(string User, string Password, string CertificatePemFile);

/// <summary>One statement's answer through an outside client: column names and types, rows, or the error it raised.</summary>
public sealed record ClientAnswer(string Sql, IReadOnlyList<string> Columns, IReadOnlyList<string> Types, IReadOnlyList<List<JsonElement>> Rows, string? Error);
