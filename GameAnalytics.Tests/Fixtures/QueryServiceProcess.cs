using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>
/// The query service as its own process on a real port, over the original's traffic: what a browser or a client
/// in another language reaches, where the in-memory test server cannot be reached.
/// </summary>
public sealed class QueryServiceProcess : IAsyncLifetime
{
    private readonly OriginalTrafficLake _lake = new();
    private readonly int _port = FreePort();
    private Process? _service;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    public async Task InitializeAsync()
    {
        _service = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GameAnalytics.Query.dll"), "--urls", BaseAddress.ToString(), "--contentRoot", AppContext.BaseDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Query__LakeRoot"] = _lake.Root, ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        })!;
        _service.OutputDataReceived += (_, _) => { };
        _service.ErrorDataReceived += (_, _) => { };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress };
        try
        {
            await StreamingHost.WaitUntilAsync(() => Answers(http), "the query service answers", TimeSpan.FromSeconds(30));
        }
        catch
        {
            // xunit skips DisposeAsync when InitializeAsync fails: do not leave the process behind.
            await DisposeAsync();
            throw;
        }
    }

    private static bool Answers(HttpClient http)
    {
        try
        {
            return http.GetAsync("/v1/info").Result.IsSuccessStatusCode;
        }
        catch (AggregateException ex) when (ex.InnerException is HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        _service?.Kill(entireProcessTree: true);
        _service?.Dispose();
        _lake.Dispose();
        return Task.CompletedTask;
    }
}
