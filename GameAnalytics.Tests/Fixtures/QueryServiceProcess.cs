using System.Diagnostics;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>
/// The query service as its own process on a real port, over the original's traffic: what a browser or a client
/// in another language reaches, where the in-memory test server cannot be reached.
/// </summary>
public class QueryServiceProcess : IAsyncLifetime
{
    private readonly OriginalTrafficLake _lake = new();
    private readonly int _port = TestPorts.Free();
    private readonly string _scheme;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private Process? _service;

    public QueryServiceProcess()
        : this("http", new Dictionary<string, string>())
    {
    }

    protected QueryServiceProcess(string scheme, IReadOnlyDictionary<string, string> settings)
    {
        _scheme = scheme;
        _settings = settings;
    }

    public Uri BaseAddress => new($"{_scheme}://127.0.0.1:{_port}");

    /// <summary>A client of the service; over HTTPS, one that trusts the service's certificate.</summary>
    protected virtual HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GameAnalytics.Query.dll"), "--urls", BaseAddress.ToString(), "--contentRoot", AppContext.BaseDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Lake__Root"] = _lake.Root, ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        foreach (var (name, value) in _settings)
        {
            start.Environment[name] = value;
        }

        _service = Process.Start(start)!;
        _service.OutputDataReceived += (_, _) => { };
        _service.ErrorDataReceived += (_, _) => { };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();

        using var http = CreateClient();
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

    public virtual Task DisposeAsync()
    {
        _service?.Kill(entireProcessTree: true);
        _service?.Dispose();
        _lake.Dispose();
        return Task.CompletedTask;
    }
}
