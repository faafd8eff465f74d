using System.Diagnostics;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>A test that needs Docker or Podman: skipped, saying why, where neither answers.</summary>
public sealed class ContainerRuntimeFactAttribute : FactAttribute
{
    /// <summary>The container runtime's command, <c>docker</c> or <c>podman</c>, or null.</summary>
    public static readonly string? Runtime = new[] { "docker", "podman" }.FirstOrDefault(Answers);

    public ContainerRuntimeFactAttribute()
    {
        if (Runtime is null)
        {
            Skip = "No container runtime: neither `docker info` nor `podman info` succeeds on this machine. It runs where one does.";
        }
    }

    private static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return false;
            }

            process.StandardOutput.ReadToEnd();
            return process.WaitForExit(TimeSpan.FromSeconds(20)) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
