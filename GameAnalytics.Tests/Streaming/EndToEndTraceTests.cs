using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>One trace runs from the HTTP request through the Kafka produce to the processing and the lake commit.</summary>
[Collection(TracingCollection.Name)]
public sealed class EndToEndTraceTests(DevBrokerFixture kafka) : IDisposable
{
    private readonly TempDirectory _lake = new();
    private readonly string _topic = $"events-{Guid.NewGuid():N}";
    private readonly ConcurrentBag<Activity> _spans = [];

    [Fact]
    public async Task The_request_trace_reaches_the_processing_and_the_commit_of_its_file()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("GameAnalytics", StringComparison.Ordinal) || source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var collector = new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?> { ["Kafka:Topic"] = _topic });
        using var client = collector.CreateClient();
        // The dev broker makes only its configured topics; this one comes from a first record.
        await StreamingHost.ProduceAsync(kafka.BootstrapServers, _topic, 1, "default");
        using var streaming = StreamingHost.Build(kafka.BootstrapServers, _topic, _lake.Path);
        using var lake = new LakeQuery(_lake.Path);
        await streaming.StartAsync();

        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent("""{"event_type":"catch_butterfly","user_id":"user2.datafun.com"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await StreamingHost.WaitUntilAsync(() => lake.EventIds("catch_butterflies").Count == 1, "the event lands");
        await streaming.StopAsync();

        var trace = _spans.Where(span => span.TraceId == traceId).ToList();
        var server = Assert.Single(trace, span => span.Kind == ActivityKind.Server);
        var send = Assert.Single(trace, span => span.Kind == ActivityKind.Producer);
        var process = Assert.Single(trace, span => span.Kind == ActivityKind.Consumer);
        Assert.Equal(server.SpanId, send.ParentSpanId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal($"process {_topic}", process.DisplayName);
        Assert.Equal("catch_butterflies", process.GetTagItem("gameanalytics.table"));

        var commit = Assert.Single(_spans, span => span.DisplayName == "lake commit" && span.Links.Any(link => link.Context.TraceId == traceId));
        Assert.Contains(commit.Links, link => link.Context.SpanId == process.SpanId);
        Assert.Equal(1, commit.GetTagItem("gameanalytics.commit.files"));
    }

    public void Dispose() => _lake.Dispose();
}
