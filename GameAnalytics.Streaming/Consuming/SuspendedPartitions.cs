using System.Diagnostics;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Partitions whose landing hit a fault that passes: each waits, paused in Kafka, for a delay that doubles with each
/// failed attempt until one of its commits succeeds, then resumes from the lake's own position.
/// </summary>
internal sealed class SuspendedPartitions
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly Dictionary<int, long> _retryAt = [];
    private readonly Dictionary<int, int> _attempts = [];

    public bool IsEmpty => _retryAt.Count == 0;

    public IReadOnlyCollection<int> Partitions => _retryAt.Keys;

    /// <returns>How long the partition waits before its next attempt.</returns>
    public TimeSpan Suspend(int partition)
    {
        var attempts = _attempts[partition] = _attempts.GetValueOrDefault(partition) + 1;
        var delay = Backoff(attempts);
        _retryAt[partition] = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        return delay;
    }

    /// <summary>Resumed (or no longer assigned): it consumes again, and its next fault waits longer than this one.</summary>
    public void Remove(int partition) => _retryAt.Remove(partition);

    /// <summary>A commit of the partition succeeded: its next fault starts the backoff again.</summary>
    public void Landed(int partition) => _attempts.Remove(partition);

    public IReadOnlyList<int> Due()
    {
        var now = Stopwatch.GetTimestamp();
        return [.. _retryAt.Where(entry => entry.Value <= now).Select(entry => entry.Key)];
    }

    private static TimeSpan Backoff(int attempts)
    {
        var delay = Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 16)));
        // Jitter, so that instances retrying one shared fault do not all come back at once.
        return TimeSpan.FromSeconds(delay * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }
}
