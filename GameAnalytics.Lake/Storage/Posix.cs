using System.Runtime.InteropServices;

namespace GameAnalytics.Lake.Storage;

/// <summary>
/// The POSIX calls the local lake needs and .NET does not offer: link(2), which creates a name only where none
/// exists (the lake's commit point on Unix), and fsync(2) of a directory, which makes its new names durable.
/// </summary>
internal static partial class Posix
{
    public const int AlreadyExists = 17; // EEXIST, on Linux and macOS alike

    private const int ReadOnly = 0;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int link(string existing, string created);

    /// <summary>Flushes a directory's entries to disk: a created or renamed file survives a power loss only then.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals its metadata; there is no directory handle to flush.
        }

        var descriptor = open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open {directory} to flush it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush {directory}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = close(descriptor);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int descriptor);

    [LibraryImport("libc")]
    private static partial int close(int descriptor);
}
