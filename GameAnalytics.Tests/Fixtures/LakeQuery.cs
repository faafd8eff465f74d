using DuckDB.NET.Data;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using GameAnalytics.Streaming.Landing;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>Reads the lake as a user would: DuckDB over the Hive-style Parquet folders.</summary>
public sealed class LakeQuery : IDisposable
{
    private readonly DuckDBConnection _connection = new("DataSource=:memory:");
    private readonly string _lakeRoot;

    public LakeQuery(string lakeRoot)
    {
        _lakeRoot = lakeRoot;
        _connection.Open();
        Execute("SET TimeZone = 'UTC'");
    }

    /// <summary><c>read_parquet</c> over a snapshot of the table's files, with <c>dt</c> from the folder names.</summary>
    public string Table(string table) =>
        $"read_parquet([{string.Join(", ", new LakeTables(new LocalLakeStorage(_lakeRoot)).Files(table).Select(file => $"'{file}'"))}], hive_partitioning = true)";

    public bool HasFiles(string table) => new LakeTables(new LocalLakeStorage(_lakeRoot)).Files(table).Count > 0;

    public T Scalar<T>(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    }

    public List<object?[]> Rows(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public List<string> EventIds(string table) =>
        HasFiles(table) ? Rows($"select event_id from {Table(table)}").Select(row => (string)row[0]!).ToList() : [];

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
