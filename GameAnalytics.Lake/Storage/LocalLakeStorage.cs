using System.Runtime.InteropServices;

namespace GameAnalytics.Lake.Storage;

/// <summary>The lake in a local folder.</summary>
public sealed class LocalLakeStorage(string root) : ILakeStorage
{
    public string Location => root;

    public string EnginePath(string path) => FullPath(path);

    public bool Exists(string path) => File.Exists(FullPath(path));

    public LakeFileStatus? Status(string path)
    {
        var file = new FileInfo(FullPath(path));
        return file.Exists ? new LakeFileStatus(file.Length, file.LastWriteTimeUtc) : null;
    }

    public void Write(string path, Action<Stream> write)
    {
        var fullPath = FullPath(path);
        CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using (var stream = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            write(stream);
            // A renamed file must not come back empty after a power loss.
            stream.Flush(flushToDisk: true);
        }

        Posix.SyncDirectory(Path.GetDirectoryName(fullPath)!);
    }

    public Stream OpenRead(string path) => File.OpenRead(FullPath(path));

    public bool TryRenameNoReplace(string from, string to)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING: atomic there.
            try
            {
                File.Move(FullPath(from), FullPath(to), overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(FullPath(to)))
            {
                return false;
            }
        }

        // On Unix, File.Move checks for the target and then renames, so two writers can both win. link() fails
        // atomically when the target exists.
        if (Posix.link(FullPath(from), FullPath(to)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Posix.AlreadyExists
                ? false
                : throw new IOException($"Could not link {from} to {to}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        File.Delete(FullPath(from));
        SyncDirectoriesOf(from, to);
        return true;
    }

    public void Rename(string from, string to)
    {
        File.Move(FullPath(from), FullPath(to), overwrite: true);
        SyncDirectoriesOf(from, to);
    }

    public void Delete(string path) => File.Delete(FullPath(path));

    public IEnumerable<string> ListFiles(string directory, bool recursive)
    {
        var fullPath = FullPath(directory);
        return Directory.Exists(fullPath)
            ? Directory.EnumerateFiles(fullPath, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Select(Relative)
            : [];
    }

    public IEnumerable<string> ListDirectories(string directory)
    {
        var fullPath = FullPath(directory);
        return Directory.Exists(fullPath)
            ? Directory.EnumerateDirectories(fullPath).Select(Relative)
            : [];
    }

    public IDisposable? TryLock(string path)
    {
        var fullPath = FullPath(path);
        CreateDirectory(Path.GetDirectoryName(fullPath)!);
        try
        {
            // Released by the OS if this process dies.
            return new FileStream(fullPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Creates the folder and any missing parents, each durably (its parent flushed).</summary>
    private static void CreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(directory)!;
        CreateDirectory(parent);
        Directory.CreateDirectory(directory);
        Posix.SyncDirectory(parent);
    }

    private void SyncDirectoriesOf(string from, string to)
    {
        var target = Path.GetDirectoryName(FullPath(to))!;
        Posix.SyncDirectory(target);
        if (Path.GetDirectoryName(FullPath(from)) is { } source && source != target)
        {
            Posix.SyncDirectory(source);
        }
    }

    private string FullPath(string path) => Path.Combine(root, path);

    private string Relative(string fullPath) => Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
