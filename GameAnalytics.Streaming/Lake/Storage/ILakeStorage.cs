namespace GameAnalytics.Streaming.Lake.Storage;

/// <summary>
/// Where the lake's files live: a local folder, or HDFS through WebHDFS. Paths are relative to the lake's root,
/// with forward slashes, as commit records store them.
/// </summary>
internal interface ILakeStorage
{
    /// <summary>The root, as a user would look for it (a folder, or an hdfs:// URI).</summary>
    string Location { get; }

    bool Exists(string path);

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
}
