using System.Diagnostics;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

static class Verify
{
    public static int Run(Options o)
    {
        var lake = Path.GetFullPath(o.Required("lake"));
        var wait = TimeSpan.FromSeconds(o.Number("wait", 0));
        var settle = TimeSpan.FromSeconds(o.Number("settle", 20));
        var acceptedLines = File.ReadLines(o.Required("accepted")).Where(line => line.Length > 0).ToList();
        var accepted = acceptedLines.ToHashSet(StringComparer.Ordinal);

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var idsByFile = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var lastChange = TimeSpan.Zero;
        Check check;
        while (true)
        {
            var files = CommittedFiles(lake);
            var fresh = files.Where(file => !idsByFile.ContainsKey(file)).ToList();
            if (fresh.Count > 0)
            {
                foreach (var (file, ids) in ReadIds(connection, fresh))
                {
                    idsByFile[file] = ids;
                }

                lastChange = clock.Elapsed;
            }

            check = new Check(accepted, files.Select(file => idsByFile[file]));
            if (check.Missing.Count == 0 || clock.Elapsed >= wait || clock.Elapsed - lastChange >= settle)
            {
                break;
            }

            Thread.Sleep(1000);
        }

        var landed = check.Counts;
        Console.WriteLine(Json.Print(new JsonObject
        {
            ["accepted"] = accepted.Count,
            ["accepted_lines"] = acceptedLines.Count, // more than accepted: the collector accepted an id twice
            ["landed_rows"] = landed.Values.Sum(),
            ["landed_distinct"] = landed.Count,
            ["landed_of_accepted"] = accepted.Count - check.Missing.Count,
            ["missing"] = check.Missing.Count,
            ["missing_sample"] = new JsonArray(check.Missing.Take(5).Select(id => (JsonNode)id).ToArray()),
            // Landed but never answered "accepted": 503'd or timed-out events Kafka kept after all, and the probes.
            ["extra_landed"] = landed.Keys.Count(id => !accepted.Contains(id)),
            ["duplicates"] = landed.Values.Count(n => n > 1), // event ids landed more than once
            ["duplicate_rows"] = landed.Values.Where(n => n > 1).Sum(n => n - 1),
            ["files"] = idsByFile.Count,
            ["waited_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["last_new_file_s"] = Math.Round(lastChange.TotalSeconds, 1),
        }));
        return 0;
    }

    /// <summary>
    /// The committed Parquet files of every event table, as GameAnalytics.Events' TableSnapshot lists them. A visible
    /// name means committed: Streaming writes a batch's files under hidden names, writes the commit record, and only
    /// then renames them into place (LakeCommitter). Reading the files named in _streaming's commit records would not
    /// do: Streaming keeps only a partition's newest 100 records. Compaction, when on, replaces files through its
    /// own records: the files a record removed are left out, and its output only counts once the record exists.
    /// </summary>
    /// <summary>Every event table's snapshot, as a reader of the lake takes it.</summary>
    private static List<string> CommittedFiles(string lake)
    {
        var tables = new LakeTables(new LocalLakeStorage(lake));
        return tables.Names().Where(table => table != TableNames.Rejected).SelectMany(tables.Files).Order(StringComparer.Ordinal).ToList();
    }

    private static Dictionary<string, List<string>> ReadIds(DuckDBConnection connection, List<string> files)
    {
        var ids = files.ToDictionary(file => file, _ => new List<string>(), StringComparer.Ordinal);
        using var query = connection.CreateCommand();
        var list = string.Join(", ", files.Select(file => $"'{file.Replace("'", "''")}'"));
        query.CommandText = $"select filename, event_id from read_parquet([{list}], filename = true, union_by_name = true, hive_partitioning = false)";
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            ids[reader.GetString(0)].Add(reader.GetString(1));
        }

        return ids;
    }

    private sealed class Check
    {
        public Check(HashSet<string> accepted, IEnumerable<List<string>> landedFiles)
        {
            foreach (var id in landedFiles.SelectMany(ids => ids))
            {
                Counts[id] = Counts.GetValueOrDefault(id) + 1;
            }

            Missing = accepted.Where(id => !Counts.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        }

        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public List<string> Missing { get; }
    }
}
