using System.Runtime.InteropServices;

namespace GameAnalytics.Lake.Storage;

/// <summary>link(2), which creates a name only where none exists: the lake's commit point on Unix.</summary>
internal static partial class NoReplace
{
    public const int AlreadyExists = 17; // EEXIST, on Linux and macOS alike

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int link(string existing, string created);
}
