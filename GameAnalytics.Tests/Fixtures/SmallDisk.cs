using System.Diagnostics;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>A real file system that fills up: a tmpfs of a few MiB, mounted for one test (needs root, as CI has).</summary>
public sealed class SmallDisk : IDisposable
{
    public SmallDisk(int mebibytes)
    {
        Path = Directory.CreateTempSubdirectory("gameanalytics-small-disk-").FullName;
        Run("mount", $"-t tmpfs -o size={mebibytes}m tmpfs {Path}");
    }

    public string Path { get; }

    /// <summary>Writes a file until the disk is full; deleting it frees the space again.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var block = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create);
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            return filler;
        }
    }

    /// <summary>Remounts the disk read-only (root ignores file permissions, not this), or writable again.</summary>
    public void SetReadOnly(bool readOnly) => Run("mount", $"-o remount,{(readOnly ? "ro" : "rw")} {Path}");

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command} {arguments}` failed ({error.Trim()}): the disk-full tests mount a tmpfs and need root.");
        }
    }

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }
}
