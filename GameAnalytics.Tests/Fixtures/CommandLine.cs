using System.Diagnostics;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>Runs a program to its end, as a user types it, and keeps what it printed.</summary>
public static class CommandLine
{
    public static async Task<CommandResult> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        return new CommandResult(process.ExitCode, await output, await error);
    }

    public static Task<CommandResult> RunAsync(string command, params string[] arguments) =>
        RunAsync(new ProcessStartInfo(command, arguments), TimeSpan.FromMinutes(2));
}

public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
