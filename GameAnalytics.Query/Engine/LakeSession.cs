using DuckDB.NET.Data;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One query's DuckDB: in memory, with a view per lake table over a snapshot of its files, and sandboxed so
/// that SQL reaches nothing but the lake (no other files, network, extensions, or settings).
/// </summary>
internal sealed class LakeSession : IDisposable
{
    private LakeSession(DuckDBConnection connection) => Connection = connection;

    public DuckDBConnection Connection { get; }

    public static LakeSession Open(LakeTables tables)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            var lake = Literal(Path.GetFullPath(tables.LakeRoot));
            // This order matters: the allowed folder first, then no external access, then locking it all.
            Execute(connection, $"set allowed_directories = [{lake}]");
            Execute(connection, "set enable_external_access = false");
            Execute(connection, "set autoinstall_known_extensions = false");
            Execute(connection, "set autoload_known_extensions = false");
            Execute(connection, "set TimeZone = 'UTC'");
            // Presto divides integers as integers: count(*) * 100 / 3 is 66, not 66.67.
            Execute(connection, "set integer_division = true");
            foreach (var table in tables.Names())
            {
                var files = string.Join(", ", tables.Files(table).Select(Literal));
                Execute(connection, $"create view {Identifier(table)} as select * from read_parquet([{files}], hive_partitioning = true)");
            }

            Execute(connection, "set lock_configuration = true");
            return new LakeSession(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"")}\"";

    private static string Literal(string text) => $"'{text.Replace("'", "''")}'";

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}
