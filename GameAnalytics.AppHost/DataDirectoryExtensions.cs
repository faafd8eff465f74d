namespace Aspire.Hosting;

internal static class DataDirectoryExtensions
{
    /// <summary>
    /// The folder where every service keeps its data: <c>--DataDir</c>, or GameAnalytics under the user's
    /// local application data. Never the source tree, so a checkout stays clean and data survives a rebuild.
    /// </summary>
    public static string AddDataDirectory(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["DataDir"];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "GameAnalytics")
            : configured);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Gives a service the data folder as <c>GameAnalytics:DataDir</c>.</summary>
    public static IResourceBuilder<T> WithDataDirectory<T>(this IResourceBuilder<T> resource, string dataDirectory)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment("GameAnalytics__DataDir", dataDirectory);
}
