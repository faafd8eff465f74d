using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GameAnalytics.Cli;

namespace GameAnalytics.Tests.Cli;

/// <summary>No collector at all: every request fails by its cause, and the exit code says the collector was unreachable.</summary>
public sealed class SimulateUnreachableTests
{
    [Fact]
    public async Task An_unreachable_collector_fails_every_event_as_connection_refused_and_exits_2()
    {
        using var run = await SimulationRun.StartAsync($"http://127.0.0.1:{FreePort()}", "--rounds", "1", "--interval", "0");

        Assert.Equal(GameCtl.Unreachable, run.ExitCode);
        Assert.Equal(17, run.Events("sent"));
        Assert.Equal(17, run.Events("failed"));
        Assert.Equal(0, run.Events("accepted"));
        var cause = Assert.Single(run.Summary.GetProperty("causes").EnumerateArray());
        Assert.Equal("connection refused", cause.GetProperty("cause").GetString());
        Assert.Equal("failed", cause.GetProperty("outcome").GetString());
        Assert.Equal(17, cause.GetProperty("events").GetInt64());
        Assert.Equal(JsonValueKind.Null, run.Summary.GetProperty("latency_ms").ValueKind);
        Assert.Contains("Cannot reach the collector", run.Console.Output);
        Assert.Contains(run.Console.Lines, line => line.Contains("connection refused") && line.Contains("17"));
    }

    [Fact]
    public async Task The_json_summary_has_every_field()
    {
        using var run = await SimulationRun.StartAsync($"http://127.0.0.1:{FreePort()}", "--events", "5", "--batch", "5", "--users", "7");

        string[] fields =
        [
            "scenario", "collector", "started_at", "elapsed_seconds", "stopped_by", "exit_code", "settings", "requests", "responses",
            "events", "events_per_second", "latency_ms", "by_event_type", "causes",
        ];
        Assert.Equal(fields.Order(), run.Summary.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["accepted", "failed", "rejected", "sent", "stopped_in_flight"], run.Summary.GetProperty("events").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(
            ["batch", "connections", "domain", "duration_seconds", "events", "interval_seconds", "mix", "rate", "rounds", "timeout_seconds", "users"],
            run.Summary.GetProperty("settings").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("completed", run.Summary.GetProperty("stopped_by").GetString());
        Assert.True(2 == run.Summary.GetProperty("exit_code").GetInt32(), run.Summary.ToString());
        Assert.Equal(7, run.Summary.GetProperty("settings").GetProperty("users").GetInt32());
        Assert.Equal("purchase_a_sword=6,join_guild=4,slay_a_dragon=3,catch_a_butterfly=4", run.Summary.GetProperty("settings").GetProperty("mix").GetString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
