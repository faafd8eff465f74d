using GameAnalytics.Streaming.Landing;

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
        var start = new DateTime(2026, 11, 29, 20, 0, 0, DateTimeKind.Utc);
        Write("sword_purchases", "purchase_sword", users: [1, 2, 3], perRound: 2, start);
        Write("join_guilds", "join_guild", users: [1, 3], perRound: 2, start);
        Write("slay_dragons", "slay_dragon", users: [1, 2, 3], perRound: 1, start);
        Write("catch_butterflies", "catch_butterfly", users: [2, 3], perRound: 2, start);
    }

    public string Root => _directory.Path;

    private void Write(string table, string eventType, int[] users, int perRound, DateTime start)
    {
        var rows = new List<LandedEvent>();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var user in users)
            {
                for (var i = 0; i < perRound; i++)
                {
                    rows.Add(LandedEvents.Create(eventType, $"user{user}.datafun.com", start.AddSeconds(round * 10).AddMilliseconds(user * 10 + i), rows.Count));
                }
            }
        }

        LandedEvents.Write(Root, table, 0, rows);
    }

    public void Dispose() => _directory.Dispose();
}
