namespace GameAnalytics.Tests.Fixtures;

public static class Repository
{
    /// <summary>The checkout's root: the folder of GameAnalytics.sln, above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GameAnalytics.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No GameAnalytics.sln above {AppContext.BaseDirectory}.");
    }
}
