using System.Diagnostics;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>Freezes and thaws processes as an operator (or a long GC pause) would: SIGSTOP and SIGCONT.</summary>
public static class Signals
{
    public static void Freeze(Process process) => Send(process, "STOP");

    public static void Thaw(Process process) => Send(process, "CONT");

    private static void Send(Process process, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {process.Id}")!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
