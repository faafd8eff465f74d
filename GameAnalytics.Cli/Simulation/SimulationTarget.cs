using GameAnalytics.Contracts;

namespace GameAnalytics.Cli.Simulation;

/// <summary>Where events go: the collector's addresses, and each simulated user's name as the original spelled it.</summary>
internal sealed class SimulationTarget
{
    // Names are cached for the first users only: millions of users would hold memory for little gain.
    private const int CachedNames = 100_000;

    private readonly Uri[] _routes;
    private readonly string?[] _names;

    public SimulationTarget(Uri collector, string domain, int users)
    {
        // Without a trailing slash, a base path such as http://gateway/game would lose its last segment.
        var root = collector.AbsoluteUri.EndsWith('/') ? collector : new Uri(collector.AbsoluteUri + "/");
        Collector = collector;
        Domain = domain;
        _routes = Behaviour.All.Select(b => new Uri(root, b.Route)).ToArray();
        EventsUri = new Uri(root, IngestRoutes.Events.TrimStart('/'));
        _names = new string?[Math.Min(users, CachedNames)];
    }

    public Uri Collector { get; }

    public string Domain { get; }

    public Uri EventsUri { get; }

    public Uri RouteUri(Behaviour behaviour) => _routes[behaviour.Index];

    /// <summary>user7.datafun.com: the original's Host header, which the collector takes as the user id.</summary>
    public string UserName(int user) =>
        user <= _names.Length ? _names[user - 1] ??= Format(user) : Format(user);

    /// <summary>Writes the name without allocating, for batch bodies of many users.</summary>
    public int FormatUserName(int user, Span<char> destination)
    {
        "user".CopyTo(destination);
        user.TryFormat(destination[4..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        var length = 4 + digits;
        destination[length++] = '.';
        Domain.CopyTo(destination[length..]);
        return length + Domain.Length;
    }

    private string Format(int user) => $"user{user}.{Domain}";
}
