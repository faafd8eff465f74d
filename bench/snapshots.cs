// How long a table snapshot takes as compactions accumulate, before and after a checkpoint folds them in:
//   dotnet run bench/snapshots.cs -- [records=10000] [runs=20]
// Builds a table of one day in a temporary lake whose compactions form a chain (each merges the previous output with
// a landed file), as a busy day's do; files are empty stand-ins, since a snapshot reads compaction records and lists
// folders, never Parquet. Prints one line of JSON: the median snapshot in ms at 0, 1,000 and all records without a
// checkpoint, then with one (records still on disk, as during the retention), then with the folded records deleted.
#:project ../GameAnalytics.Lake/GameAnalytics.Lake.csproj
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using GameAnalytics.Lake.Compactions;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;

var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var root = Directory.CreateTempSubdirectory("snapshots-bench-").FullName;
try
{
    var storage = new LocalLakeStorage(root);
    const string table = "sword_purchases";
    var day = new DateOnly(2026, 12, 5);
    var partition = TableFiles.PartitionDirectory(table, day);
    var start = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    var results = new List<string>();

    string? previous = null;
    void AddCompactions(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var landed = TableFiles.RelativePath(table, day, 0, i, i * 100L, i * 100L + 99);
            var output = TableFiles.CompactedPath(partition, $"{i:D17}");
            storage.Write(output, _ => { });
            if (previous is not null)
            {
                storage.Delete(previous);
            }

            new CompactionRecord($"{i:D17}", table, day, previous is null ? [landed] : [previous, landed], output, start.AddSeconds(i)).Write(storage);
            previous = output;
        }
    }

    double MedianMs()
    {
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            if (TableSnapshot.Files(storage, table).Count != 1)
            {
                throw new InvalidOperationException("A snapshot should hold the one live compacted file.");
            }

            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    AddCompactions(0, 1);
    results.Add($"\"records_1_ms\": {MedianMs():F2}");
    AddCompactions(1, Math.Min(1_000, records));
    results.Add($"\"records_1000_ms\": {MedianMs():F2}");
    AddCompactions(Math.Min(1_000, records), records);
    results.Add($"\"records_{records}_ms\": {MedianMs():F2}");

    var state = CompactionState.Read(storage, table);
    CompactionCheckpoint.Fold(state, [], start.AddSeconds(records), start.AddSeconds(records + 1), table).Write(storage);
    results.Add($"\"checkpoint_records_still_on_disk_ms\": {MedianMs():F2}");
    foreach (var record in state.Records)
    {
        storage.Delete($"{CompactionRecord.DirectoryOf(table)}/{record.Id}.json");
    }

    results.Add($"\"checkpoint_records_deleted_ms\": {MedianMs():F2}");
    AddCompactions(records, records + CompactionCheckpoint.Every - 1);
    results.Add($"\"checkpoint_and_{CompactionCheckpoint.Every - 1}_records_ms\": {MedianMs():F2}");
    Console.WriteLine($"{{\"records\": {records}, \"runs\": {runs}, {string.Join(", ", results)}}}");
}
finally
{
    Directory.Delete(root, recursive: true);
}
