using GameAnalytics.Contracts;

namespace GameAnalytics.Api.Collector;

public sealed class CollectorOptions
{
    public const string SectionName = "Collector";

    /// <summary>Largest request body accepted on <c>/v1/events</c>; past it the answer is 413.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most events in one batch; past it the answer is 413.</summary>
    public int MaxBatchEvents { get; set; } = IngestRoutes.MaxEventsPerRequest;

    public int MaxUserIdLength { get; set; } = 256;

    /// <summary>Largest <c>properties</c> object of one event, in bytes of JSON.</summary>
    public int MaxPropertiesBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Request headers copied into the envelope's <c>headers</c> map; none other is ever stored.
    /// Credentials (Authorization, Cookie, API keys, tokens) are refused here at start-up.
    /// </summary>
    public string[] HeaderAllowlist { get; set; } = [];

    /// <summary>
    /// Web origins of browser games that may post to <c>/v1/events</c> (<c>https://game.example</c>): CORS answers
    /// their preflight, and a request from any other origin gets 403 and lands nothing. Requests without an
    /// <c>Origin</c> header (game servers) are not concerned.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    public bool AllowsOrigin(string origin) =>
        AllowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The games that may write, by name, each with its key (<c>Collector__WriteKeys__mygame=&lt;key&gt;</c>, or one
    /// value of <c>name=key</c> pairs separated by <c>;</c>, for a secret). The name lands as the events' <c>app_id</c>.
    /// </summary>
    public Dictionary<string, string> WriteKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether requests without a key may write (their events' <c>app_id</c> is null), as the original's did.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Events per second per key (or per address, for anonymous requests); over it, 429 with Retry-After.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Ingest requests handled at once; past it, 503 with Retry-After at once. Each holds its body and its events
    /// until Kafka answers, so this bounds the collector's memory while Kafka is slow.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>What a 503 tells clients to wait before they retry.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
