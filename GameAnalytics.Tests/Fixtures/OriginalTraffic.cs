namespace GameAnalytics.Tests.Fixtures;

/// <summary>
/// The original design's Apache Bench loops, sent through the collector's original routes without the 10 s pauses:
/// per round, each of users 1 to 3 buys 2 swords and slays 1 dragon, users 1 and 3 join 2 guilds, users 2 and 3 catch 2 butterflies.
/// </summary>
public static class OriginalTraffic
{
    public const int Rounds = 22;

    public static async Task SendAsync(HttpClient collector, int rounds = Rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            await SendAsync(collector, "/purchase_a_sword", users: [1, 2, 3], times: 2);
            await SendAsync(collector, "/join_guild", users: [1, 3], times: 2);
            await SendAsync(collector, "/slay_a_dragon", users: [1, 2, 3], times: 1);
            await SendAsync(collector, "/catch_a_butterfly", users: [2, 3], times: 2);
        }
    }

    private static async Task SendAsync(HttpClient collector, string route, int[] users, int times)
    {
        foreach (var user in users)
        {
            for (var i = 0; i < times; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, route);
                request.Headers.Host = $"user{user}.datafun.com";
                using var response = await collector.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }
    }
}
