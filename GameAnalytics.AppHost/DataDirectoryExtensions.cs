namespace Aspire.Hosting;

/// <summary>The folder where the services keep their data: a local path when run, a parameter when published.</summary>
internal sealed record DataDirectory(string? LocalPath, IResourceBuilder<ParameterResource>? Parameter);

internal static class DataDirectoryExtensions
{
    /// <summary>
    /// Run: <c>--DataDir</c>, or GameAnalytics under the user's local application data; never the source tree, so a
    /// checkout stays clean and data survives a rebuild. Published: the parameter <c>data-dir</c>, a path the
    /// deployment mounts storage at, since this machine's path means nothing there.
    /// </summary>
    public static DataDirectory AddDataDirectory(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new DataDirectory(null, builder.AddParameter("data-dir", "/data", publishValueAsDefault: true));
        }

        var configured = builder.Configuration["DataDir"];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "GameAnalytics")
            : configured);
        Directory.CreateDirectory(path);
        return new DataDirectory(path, null);
    }

    /// <summary>Gives a service the data folder as <c>GameAnalytics:DataDir</c>.</summary>
    public static IResourceBuilder<T> WithDataDirectory<T>(this IResourceBuilder<T> resource, DataDirectory dataDirectory)
        where T : IResourceWithEnvironment =>
        dataDirectory.Parameter is { } parameter
            ? resource.WithEnvironment("GameAnalytics__DataDir", parameter)
            : resource.WithEnvironment("GameAnalytics__DataDir", dataDirectory.LocalPath);
}
