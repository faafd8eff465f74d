using GameAnalytics.Events.Lake;

namespace GameAnalytics.Query.Engine;

/// <summary>The lake's tables: every folder of the lake that is not hidden, read through a snapshot of its files.</summary>
internal sealed class LakeTables(string lakeRoot)
{
    public string LakeRoot => lakeRoot;

    public IReadOnlyList<string> Names() =>
        Directory.Exists(lakeRoot)
            ? Directory.EnumerateDirectories(lakeRoot)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !name.StartsWith('_') && !name.StartsWith('.'))
                .Where(name => TableSnapshot.Files(lakeRoot, name).Count > 0)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public IReadOnlyList<string> Files(string table) => TableSnapshot.Files(lakeRoot, table);
}
