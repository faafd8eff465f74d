namespace GameAnalytics.Client;

/// <summary>How a <see cref="GameAnalyticsClient"/> sends. Only <see cref="CollectorUri"/> is required.</summary>
public sealed class GameAnalyticsClientOptions
{
    /// <summary>The collector's base address, for example <c>https://collector.example.com</c>.</summary>
    public Uri? CollectorUri { get; set; }

    /// <summary>The game's write key, sent as <c>Authorization: Bearer</c>; null for a collector that takes keyless requests.</summary>
    public string? WriteKey { get; set; }

    /// <summary>Events per request, 1 to 1,000 (the collector's limit).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long an event may wait for its batch to fill before the batch is sent anyway.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A folder for unsent events, kept across restarts and crashes (in Unity, under <c>Application.persistentDataPath</c>).
    /// Null keeps them in memory only: what a server that flushes on shutdown wants.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>The most bytes of unsent events kept; past it the oldest are dropped and reported.</summary>
    public long MaxSpoolBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The first pause after a failed send; each further failure doubles it, up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two attempts, before jitter and any longer Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one request may take before it counts as failed and is tried again.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposing waits for unsent events to go; what is left stays in the spool folder, or is dropped in memory mode.</summary>
    public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The HTTP handler to send with, for a proxy or a platform's own; by default a new <see cref="HttpClientHandler"/>.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    internal void Validate()
    {
        if (CollectorUri is null || !CollectorUri.IsAbsoluteUri)
        {
            throw new ArgumentException("CollectorUri must be the collector's absolute address, for example https://collector.example.com.", nameof(CollectorUri));
        }

        if (BatchSize is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be 1 to 1,000: the collector takes at most 1,000 events a request.");
        }

        if (FlushInterval <= TimeSpan.Zero || FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay || RequestTimeout <= TimeSpan.Zero || DisposeTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), "FlushInterval, FirstRetryDelay and RequestTimeout must be positive, MaxRetryDelay at least FirstRetryDelay, DisposeTimeout not negative.");
        }

        if (MaxSpoolBytes < 64 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSpoolBytes), MaxSpoolBytes, "MaxSpoolBytes must be at least 64 KiB: one event may be that large.");
        }
    }
}
