using Microsoft.Extensions.Configuration;

namespace GameAnalytics.Lake;

/// <summary>Where a local lake is, for every service that reads or writes it.</summary>
public static class LakeLocation
{
    /// <summary>The setting that names the lake's folder.</summary>
    public const string Setting = "Lake:Root";

    // The query service's name for it before there was one setting.
    private const string OldQuerySetting = "Query:LakeRoot";

    /// <summary>The lake's root: <c>Lake:Root</c>, else <c>lake</c> under <c>GameAnalytics:DataDir</c> (the AppHost passes it).</summary>
    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[Setting] is { Length: > 0 } root ? root : configuration[OldQuerySetting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var dataDirectory = configuration["GameAnalytics:DataDir"];
        return string.IsNullOrWhiteSpace(dataDirectory)
            ? throw new InvalidOperationException($"Set {Setting}, or GameAnalytics:DataDir (the AppHost passes it), to say where the lake is.")
            : Path.GetFullPath(Path.Combine(dataDirectory, "lake"));
    }
}
