using System.Diagnostics;

namespace GameAnalytics.Tests.Fixtures;

/// <summary><c>gamectl simulate</c> as its own process, to be killed as a game is.</summary>
public sealed class SimulateProcess : IDisposable
{
    private readonly Process _process;

    private SimulateProcess(Process process) => _process = process;

    public static SimulateProcess Start(Uri collector, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gamectl.dll"), "simulate", "--collector", collector.ToString(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SimulateProcess(process);
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a phone kills a game.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
