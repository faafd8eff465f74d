using Microsoft.Extensions.Configuration;

namespace GameAnalytics.Events.Lake;

public static class LakeLocation
{
    /// <summary>The lake's root: the configured path, else <c>lake</c> under <c>GameAnalytics:DataDir</c> (the AppHost passes it).</summary>
    public static string Resolve(string? configured, IConfiguration configuration, string setting)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var dataDirectory = configuration["GameAnalytics:DataDir"];
        return string.IsNullOrWhiteSpace(dataDirectory)
            ? throw new InvalidOperationException($"Set {setting}, or GameAnalytics:DataDir (the AppHost passes it), to say where the lake is.")
            : Path.GetFullPath(Path.Combine(dataDirectory, "lake"));
    }
}
