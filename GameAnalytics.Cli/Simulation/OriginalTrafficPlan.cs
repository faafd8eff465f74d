namespace GameAnalytics.Cli.Simulation;

/// <summary>
/// The original's four Apache Bench loops, one round every interval: each of users 1 to 3 buys 2 swords and slays
/// 1 dragon, users 1 and 3 join 2 guilds, users 2 and 3 catch 2 butterflies. 17 requests a round.
/// </summary>
internal sealed class OriginalTrafficPlan(TimeSpan interval, int? rounds) : ITrafficPlan
{
    private static readonly SimulatedEvent[] Round = BuildRound();

    public static int EventsPerRound => Round.Length;

    public string Scenario => "original";

    public int BatchSize => 1;

    public bool TryGetUnit(long number, out TrafficUnit unit)
    {
        var round = number / Round.Length;
        if (round >= rounds)
        {
            unit = default;
            return false;
        }

        unit = new TrafficUnit(number, 1, interval * round);
        return true;
    }

    public SimulatedEvent EventAt(long index) => Round[index % Round.Length];

    private static SimulatedEvent[] BuildRound()
    {
        var round = new List<SimulatedEvent>();
        void Loop(Behaviour behaviour, int[] users, int requests)
        {
            foreach (var user in users)
            {
                for (var i = 0; i < requests; i++)
                {
                    round.Add(new SimulatedEvent(user, behaviour));
                }
            }
        }

        Loop(Behaviour.PurchaseSword, [1, 2, 3], 2);
        Loop(Behaviour.JoinGuild, [1, 3], 2);
        Loop(Behaviour.SlayDragon, [1, 2, 3], 1);
        Loop(Behaviour.CatchButterfly, [2, 3], 2);
        return [.. round];
    }
}
