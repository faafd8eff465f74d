using GameAnalytics.Lake.Storage;

namespace GameAnalytics.Lake.Tables;

/// <summary>The lake's tables: every folder of the lake that is not hidden and has files, read through a snapshot of its files.</summary>
public sealed class LakeTables(ILakeStorage storage)
{
    public ILakeStorage Storage => storage;

    public IReadOnlyList<string> Names() =>
        storage.ListDirectories("")
            .Where(name => !TableFiles.IsHidden(name))
            .Where(name => TableSnapshot.Files(storage, name).Count > 0)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A snapshot of the table's files, as the SQL engine opens them.</summary>
    public IReadOnlyList<string> Files(string table) => [.. TableSnapshot.Files(storage, table).Select(storage.EnginePath)];
}
