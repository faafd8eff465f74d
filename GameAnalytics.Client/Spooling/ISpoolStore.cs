using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Client.Spooling;

/// <summary>Where a spool keeps its batches between runs: nowhere (memory mode) or a folder.</summary>
internal interface ISpoolStore : IDisposable
{
    /// <summary>The batches a previous run left, oldest first, and how many of their lines were unreadable.</summary>
    (IReadOnlyList<(long Sequence, List<TrackedEvent> Events)> Batches, int Unreadable) Load();

    void Append(long sequence, IReadOnlyList<TrackedEvent> events);

    void Rewrite(long sequence, IReadOnlyList<TrackedEvent> events);

    void Delete(long sequence);
}

internal sealed class MemorySpoolStore : ISpoolStore
{
    public (IReadOnlyList<(long Sequence, List<TrackedEvent> Events)> Batches, int Unreadable) Load() => ([], 0);

    public void Append(long sequence, IReadOnlyList<TrackedEvent> events)
    {
    }

    public void Rewrite(long sequence, IReadOnlyList<TrackedEvent> events)
    {
    }

    public void Delete(long sequence)
    {
    }

    public void Dispose()
    {
    }
}
