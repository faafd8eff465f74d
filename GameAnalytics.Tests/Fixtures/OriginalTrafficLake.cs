using GameAnalytics.Streaming.Lake;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>
/// A lake holding the original design's traffic, as its Apache Bench loops made it, for 22 rounds: each of users
/// 1 to 3 buys 2 swords and slays 1 dragon, users 1 and 3 join 2 guilds, users 2 and 3 catch 2 butterflies.
/// </summary>
public sealed class OriginalTrafficLake : IDisposable
{
    public const int Rounds = 22;

    private readonly TempDirectory _directory = new();

    public OriginalTrafficLake()
    {
        var writer = new ParquetTableWriter();
        var start = new DateTime(2026, 11, 29, 20, 0, 0, DateTimeKind.Utc);
        Write(writer, "sword_purchases", "purchase_sword", users: [1, 2, 3], perRound: 2, start);
        Write(writer, "join_guilds", "join_guild", users: [1, 3], perRound: 2, start);
        Write(writer, "slay_dragons", "slay_dragon", users: [1, 2, 3], perRound: 1, start);
        Write(writer, "catch_butterflies", "catch_butterfly", users: [2, 3], perRound: 2, start);
    }

    public string Root => _directory.Path;

    private void Write(ParquetTableWriter writer, string table, string eventType, int[] users, int perRound, DateTime start)
    {
        var rows = new List<LandedEvent>();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var user in users)
            {
                for (var i = 0; i < perRound; i++)
                {
                    var at = start.AddSeconds(round * 10).AddMilliseconds(user * 10 + i);
                    var host = $"user{user}.datafun.com";
                    rows.Add(new LandedEvent(
                        $$"""{"event_type":"{{eventType}}","host":"{{host}}"}""", at.ToString("yyyy-MM-dd HH:mm:ss.fff"), "*/*", host, "ApacheBench/2.3",
                        eventType, Guid.CreateVersion7().ToString(), host, at, null, null, 0, rows.Count));
                }
            }
        }

        var path = Path.Combine(Root, TableFiles.RelativePath(table, DateOnly.FromDateTime(start), 0, 0, 0, rows.Count - 1));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        writer.WriteEvents(path, rows);
    }

    public void Dispose() => _directory.Dispose();
}
