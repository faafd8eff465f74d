using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GameAnalytics.Presto;
using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.Presto;

/// <summary>The C# Presto client against the real query service.</summary>
public sealed class PrestoClientTests : IClassFixture<OriginalTrafficLake>, IDisposable
{
    private readonly WebApplicationFactory<QueryResults> _service;
    private readonly RecordingHandler _recorder = new();

    public PrestoClientTests(OriginalTrafficLake lake)
    {
        _service = new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Lake:Root", lake.Root);
            builder.UseSetting("Query:PageRows", "10");
        });
        _recorder.InnerHandler = _service.Server.CreateHandler();
    }

    [Fact]
    public async Task Streams_every_row_across_pages_with_the_columns()
    {
        var query = Client().Query("select host, count(*) as swords from sword_purchases group by host order by host");
        var rows = new List<PrestoRow>();
        await foreach (var row in query)
        {
            rows.Add(row);
        }

        Assert.Equal(["host", "swords"], query.Columns.Select(column => column.Name));
        Assert.Equal(["varchar", "bigint"], query.Columns.Select(column => column.Type));
        Assert.Equal(["user1.datafun.com", "user2.datafun.com", "user3.datafun.com"], rows.Select(row => row.GetString(0)));
        Assert.All(rows, row => Assert.Equal(44, row.GetInt64(1)));

        var all = await Client().QueryAllAsync("select event_id from sword_purchases");
        Assert.Equal(132, all.Rows.Count);
    }

    [Fact]
    public async Task A_failed_query_raises_the_presto_error_name_and_location()
    {
        var error = await Assert.ThrowsAsync<PrestoQueryException>(() => Client().QueryAllAsync("select count(*)\nfrom join_guilds\nwhre 1 = 1"));

        Assert.Equal("SYNTAX_ERROR", error.ErrorName);
        Assert.Equal(3, error.LineNumber);
        Assert.NotEmpty(error.QueryId);
    }

    [Fact]
    public async Task Retries_503_with_backoff()
    {
        _recorder.FailNext(2, HttpStatusCode.ServiceUnavailable);

        var result = await Client().QueryAllAsync("select count(*) from slay_dragons");

        Assert.Equal(66, result.Rows.Single().GetInt64(0));
        Assert.Equal(2, _recorder.Failed);
    }

    [Fact]
    public async Task Stopping_early_cancels_the_query_on_the_server()
    {
        await foreach (var row in Client().Query("select event_id from sword_purchases"))
        {
            break;
        }

        // The query was still running (it has more rows than the server buffers), so only a cancel can end it now.
        var delete = Assert.Single(_recorder.Requests, request => request.Method == HttpMethod.Delete);
        var queryId = delete.RequestUri!.Segments[4].TrimEnd('/');
        using var http = _service.CreateClient();
        http.DefaultRequestHeaders.Add("X-Presto-User", "tests");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement info;
        do
        {
            info = await http.GetFromJsonAsync<JsonElement>($"/v1/query/{queryId}");
        }
        while (info.GetProperty("state").GetString() is "QUEUED" or "RUNNING" && DateTime.UtcNow < deadline);

        Assert.Equal("FAILED", info.GetProperty("state").GetString());
        Assert.Equal("USER_CANCELED", info.GetProperty("failureInfo").GetProperty("errorName").GetString());
    }

    [Fact]
    public async Task Speaks_the_trino_header_family_when_asked()
    {
        var client = Client(PrestoDialect.Trino);

        var result = await client.QueryAllAsync("show tables");

        Assert.Equal(4, result.Rows.Count);
        var post = _recorder.Requests.First(request => request.Method == HttpMethod.Post);
        Assert.True(post.Headers.Contains("X-Trino-User"));
        Assert.False(post.Headers.Contains("X-Presto-User"));
    }

    private PrestoClient Client(PrestoDialect dialect = PrestoDialect.Presto)
    {
        var http = new HttpClient(_recorder, disposeHandler: false);
        return new PrestoClient(http, new PrestoClientOptions
        {
            Server = _service.Server.BaseAddress,
            User = "tests",
            Dialect = dialect,
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        });
    }

    public void Dispose() => _service.Dispose();

    /// <summary>Records requests, and can answer the next few with an error status.</summary>
    private sealed class RecordingHandler : DelegatingHandler
    {
        private int _failNext;
        private HttpStatusCode _failWith;

        public List<HttpRequestMessage> Requests { get; } = [];

        public int Failed { get; private set; }

        public void FailNext(int count, HttpStatusCode status)
        {
            _failNext = count;
            _failWith = status;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
                if (_failNext > 0)
                {
                    _failNext--;
                    Failed++;
                    return Task.FromResult(new HttpResponseMessage(_failWith));
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
