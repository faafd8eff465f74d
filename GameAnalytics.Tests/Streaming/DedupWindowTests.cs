using GameAnalytics.Streaming.Consuming;

namespace GameAnalytics.Tests.Streaming;

public sealed class DedupWindowTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void Remembers_exactly_the_last_events_up_to_its_capacity(int capacity)
    {
        // The model: what the window must answer, kept the plain way.
        var landed = new Dictionary<(Guid, string), string>();
        var order = new Queue<(Guid, string)>();
        var window = new DedupWindow(capacity);
        var random = new Random(capacity);
        var recent = new List<(Guid Id, string User, string Type)>();
        for (var i = 0; i < 40_000; i++)
        {
            // Mostly new events, and retries of recent and of long-gone ones, some under another type or player.
            var (id, user, type) = random.Next(4) == 0 && recent.Count > 0
                ? recent[recent.Count - 1 - random.Next(Math.Min(recent.Count, capacity * 2))]
                : (Guid.CreateVersion7(), $"user{random.Next(50)}", "join_guild");
            if (random.Next(10) == 0)
            {
                type = "slay_dragon";
            }

            var expected = landed.TryGetValue((id, user), out var landedType)
                ? landedType == type ? DedupResult.Duplicate : DedupResult.ReusedForAnotherType
                : DedupResult.New;
            if (expected == DedupResult.New)
            {
                landed[(id, user)] = type;
                order.Enqueue((id, user));
                if (order.Count > capacity)
                {
                    landed.Remove(order.Dequeue());
                }
            }

            Assert.Equal(expected, random.Next(2) == 0
                ? window.TryAdd(id, user, type)
                : window.TryAdd(id, System.Text.Encoding.UTF8.GetBytes(user), System.Text.Encoding.UTF8.GetBytes(type)));
            recent.Add((id, user, type));
        }

        Assert.Equal(Math.Min(capacity, landed.Count), window.Count);
    }

    [Fact]
    public void Remembers_nothing_when_turned_off()
    {
        var window = new DedupWindow(0);
        var id = Guid.CreateVersion7();

        Assert.Equal(DedupResult.New, window.TryAdd(id, "u", "join_guild"));
        Assert.Equal(DedupResult.New, window.TryAdd(id, "u", "join_guild"));
    }
}
