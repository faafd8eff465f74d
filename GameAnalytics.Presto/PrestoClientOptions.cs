using GameAnalytics.Contracts;

namespace GameAnalytics.Presto;

public sealed class PrestoClientOptions
{
    public Uri Server { get; set; } = new($"http://localhost:{DefaultPorts.Query}");

    public string User { get; set; } = Environment.UserName;

    /// <summary>The user's password, for a server with passwords on; sent as HTTP Basic, and only over HTTPS.</summary>
    public string? Password { get; set; }

    public string Catalog { get; set; } = SqlCatalog.Catalog;

    public string Schema { get; set; } = SqlCatalog.Schema;

    public string Source { get; set; } = "gameanalytics";

    /// <summary>Which header family the server speaks: <c>X-Presto-*</c> or <c>X-Trino-*</c>.</summary>
    public PrestoDialect Dialect { get; set; } = PrestoDialect.Presto;

    /// <summary>How many times a request answered 503 is tried again, with growing pauses.</summary>
    public int MaxRetries { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}

public enum PrestoDialect
{
    Presto,
    Trino,
}
