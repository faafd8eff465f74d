namespace GameAnalytics.Lake.Storage;

/// <summary>
/// Where the lake's files live: a local folder, or HDFS through WebHDFS. Paths are relative to the lake's root,
/// with forward slashes, as commit records store them.
/// </summary>
public interface ILakeStorage
{
    /// <summary>The root, as a user would look for it (a folder, or an hdfs:// URI).</summary>
    string Location { get; }

    /// <summary>The file as an SQL engine opens it: a local path, or an hdfs:// URI.</summary>
    string EnginePath(string path);

    bool Exists(string path);

    /// <summary>The file's size and last change, or null when it does not exist.</summary>
    LakeFileStatus? Status(string path);

    /// <summary>Creates or replaces the file, creating its folders; the content is durable when this returns.</summary>
    void Write(string path, Action<Stream> write);

    /// <summary>A seekable stream over the whole file.</summary>
    Stream OpenRead(string path);

    /// <summary>Renames unless <paramref name="to"/> exists (then false): of two writers, exactly one wins.</summary>
    bool TryRenameNoReplace(string from, string to);

    /// <summary>Renames, replacing <paramref name="to"/> if it exists.</summary>
    void Rename(string from, string to);

    /// <summary>Deletes the file; a missing file is not an error.</summary>
    void Delete(string path);

    /// <summary>The files under a folder (recursively), as paths from the root; none when the folder does not exist.</summary>
    IEnumerable<string> ListFiles(string directory, bool recursive);

    /// <summary>The folders directly under a folder, as paths from the root; none when the folder does not exist.</summary>
    IEnumerable<string> ListDirectories(string directory);

    /// <summary>
    /// An exclusive lock that its holder's death releases, or null when another process holds it. Only a local
    /// lake has one: in HDFS the SQL engines do the work that needs it.
    /// </summary>
    IDisposable? TryLock(string path);
}

public sealed record LakeFileStatus(long Length, DateTimeOffset ModifiedAt);
