using GameAnalytics.Events.Envelope;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Cli;

/// <summary>Reads back from the events topic the records of one simulation run, told apart by its users' domain.</summary>
internal static class SimulatedRecords
{
    public static List<EventEnvelope> Read(string bootstrapServers, string domain, int expected, TimeSpan? timeout = null) =>
        EventsTopic.Read(bootstrapServers, key => key?.EndsWith("." + domain, StringComparison.Ordinal) == true, expected, timeout ?? TimeSpan.FromSeconds(20))
            .Select(record => EventEnvelope.FromUtf8Json(record.Message.Value)!)
            .ToList();
}
