using System.Globalization;
using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Client.Spooling;

/// <summary>
/// A folder of batches, one file each (<c>000000000042.ndjson</c>, one event a line), appended as events come and
/// flushed to the operating system, so that a killed game loses none it had spooled. A lock file keeps a second
/// client (a second copy of the game) out.
/// </summary>
internal sealed class DirectorySpoolStore : ISpoolStore
{
    private const string Extension = ".ndjson";
    private static readonly byte[] NewLine = [(byte)'\n'];

    private readonly string _directory;
    private readonly FileStream _lock;

    public DirectorySpoolStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        try
        {
            _lock = new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"Another GameAnalytics client is using the spool folder {_directory}; give each client a folder of its own.", ex);
        }
    }

    public (IReadOnlyList<(long Sequence, List<TrackedEvent> Events)> Batches, int Unreadable) Load()
    {
        var batches = new List<(long, List<TrackedEvent>)>();
        var unreadable = 0;
        foreach (var (sequence, path) in Files())
        {
            var events = new List<TrackedEvent>();
            foreach (var line in ReadLines(File.ReadAllBytes(path)))
            {
                if (TrackedEvent.Parse(line) is { } tracked)
                {
                    events.Add(tracked);
                }
                else
                {
                    unreadable++;
                }
            }

            if (events.Count == 0)
            {
                File.Delete(path);
                continue;
            }

            batches.Add((sequence, events));
        }

        return (batches, unreadable);
    }

    public void Append(long sequence, IReadOnlyList<TrackedEvent> events)
    {
        using var file = new FileStream(PathOf(sequence), FileMode.Append, FileAccess.Write, FileShare.None);
        foreach (var tracked in events)
        {
            file.Write(tracked.Json, 0, tracked.Json.Length);
            file.Write(NewLine, 0, 1);
        }
    }

    public void Rewrite(long sequence, IReadOnlyList<TrackedEvent> events)
    {
        var temp = PathOf(sequence) + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var tracked in events)
            {
                file.Write(tracked.Json, 0, tracked.Json.Length);
                file.Write(NewLine, 0, 1);
            }
        }

        // All or nothing: a crash leaves the old batch or the new one.
        File.Replace(temp, PathOf(sequence), destinationBackupFileName: null);
    }

    public void Delete(long sequence) => File.Delete(PathOf(sequence));

    public void Dispose() => _lock.Dispose();

    private string PathOf(long sequence) => Path.Combine(_directory, sequence.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    private IEnumerable<(long Sequence, string Path)> Files() =>
        Directory.EnumerateFiles(_directory, "*" + Extension)
            .Select(path => (Parsed: long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence), sequence, path))
            .Where(file => file.Parsed)
            .Select(file => (file.sequence, file.path))
            .OrderBy(file => file.sequence);

    private static IEnumerable<byte[]> ReadLines(byte[] content)
    {
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                if (i > start)
                {
                    yield return content.AsSpan(start, i - start).ToArray();
                }

                start = i + 1;
            }
        }

        // A last line without its newline was cut short by a crash, unless it parses.
        if (start < content.Length)
        {
            yield return content.AsSpan(start).ToArray();
        }
    }
}
