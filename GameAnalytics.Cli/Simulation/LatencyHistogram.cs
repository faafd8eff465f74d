using System.Numerics;

namespace GameAnalytics.Cli.Simulation;

/// <summary>
/// Latencies in fixed log-linear buckets: 64 per doubling, so a percentile is within 1.6% of the truth, from 1 µs to
/// over half an hour, in a fixed array that many workers increment without locks or allocation.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int SubBucketBits = 6;
    private const long MaxMicroseconds = (1L << 31) - 1;

    private readonly long[] _counts = new long[IndexOf(MaxMicroseconds) + 1];
    private long _max;

    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 0, MaxMicroseconds);
        Interlocked.Increment(ref _counts[IndexOf(micros)]);

        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public long Count
    {
        get
        {
            long total = 0;
            foreach (ref readonly var count in _counts.AsSpan())
            {
                total += Volatile.Read(in count);
            }

            return total;
        }
    }

    public TimeSpan Max => TimeSpan.FromMicroseconds(Volatile.Read(ref _max));

    /// <summary>The latency that <paramref name="percentile"/> (0 to 100) percent of requests did not exceed; zero before any.</summary>
    public TimeSpan Percentile(double percentile)
    {
        var counts = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
            total += counts[i];
        }

        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                // The bucket's upper edge, but never above the largest latency actually seen.
                return TimeSpan.FromMicroseconds(Math.Min(UpperEdge(i), Volatile.Read(ref _max)));
            }
        }

        return Max;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < SubBuckets)
        {
            return (int)micros;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - SubBucketBits;
        return SubBuckets + (shift * SubBuckets) + (int)((micros >> shift) - SubBuckets);
    }

    internal static long UpperEdge(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var shift = (index - SubBuckets) / SubBuckets;
        var sub = ((index - SubBuckets) % SubBuckets) + SubBuckets;
        return ((long)(sub + 1) << shift) - 1;
    }
}
