using System.Text.Json;
using GameAnalytics.Cli;
using Spectre.Console.Testing;

namespace GameAnalytics.Tests.Cli;

/// <summary>One <c>gamectl simulate</c> run as a user starts it, with its output and its JSON summary read back.</summary>
internal sealed class SimulationRun : IDisposable
{
    private readonly string _jsonPath = Path.Combine(Path.GetTempPath(), $"simulate-{Guid.NewGuid():N}.json");

    private SimulationRun()
    {
        Console.Profile.Width = 200;
    }

    public TestConsole Console { get; } = new() { EmitAnsiSequences = false };

    public int ExitCode { get; private set; }

    public JsonElement Summary { get; private set; }

    public static async Task<SimulationRun> StartAsync(string collector, params string[] args)
    {
        var run = new SimulationRun();
        run.ExitCode = await GameCtl.RunAsync(["simulate", "--collector", collector, "--json", run._jsonPath, .. args], run.Console);
        if (File.Exists(run._jsonPath))
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(run._jsonPath));
            run.Summary = document.RootElement.Clone();
        }

        return run;
    }

    public long Events(string field) => Summary.GetProperty("events").GetProperty(field).GetInt64();

    public long SentOf(string eventType) => Summary.GetProperty("by_event_type").GetProperty(eventType).GetProperty("sent").GetInt64();

    public long AcceptedOf(string eventType) => Summary.GetProperty("by_event_type").GetProperty(eventType).GetProperty("accepted").GetInt64();

    public void Dispose() => File.Delete(_jsonPath);
}
