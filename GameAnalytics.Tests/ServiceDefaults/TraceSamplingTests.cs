using System.Diagnostics;
using System.Net;
using System.Text;
using GameAnalytics.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace GameAnalytics.Tests.ServiceDefaults;

/// <summary>The collector's traces as an exporter receives them: every one at a low rate, a few under load, failures always.</summary>
[Collection(TracingCollection.Name)]
public sealed class TraceSamplingTests(DevBrokerFixture kafka)
{
    [Fact]
    public async Task At_a_low_rate_every_request_is_traced_from_the_request_to_its_kafka_record()
    {
        await using var collector = new CollectorFactory(kafka.BootstrapServers);
        using var client = collector.CreateClient();
        var user = $"traced-{Guid.NewGuid():N}.datafun.com";

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.SendAsync(SlayADragon(user));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await StreamingHost.WaitUntilAsync(() => ServerSpans(collector).Count == 10, "every request is traced");
        var servers = ServerSpans(collector);
        Assert.All(servers, server => Assert.Single(collector.Spans, span => span.Kind == ActivityKind.Producer && span.ParentSpanId == server.SpanId));
        var traceparents = EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 10).Select(Traceparent).ToHashSet();
        Assert.Equal(10, traceparents.Count);
        Assert.All(traceparents, traceparent => Assert.EndsWith("-01", traceparent));
    }

    [Fact]
    public async Task Under_load_new_traces_keep_to_the_limit_failures_are_all_traced_and_metrics_count_everything()
    {
        const int limit = 10;
        var metrics = new List<MetricSnapshot>();
        await using var collector = new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Telemetry:NewTracesPerSecond"] = limit.ToString(),
        }, services => services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));
        using var client = collector.CreateClient();
        var user = $"sampled-{Guid.NewGuid():N}.datafun.com";
        const int accepted = 300, rejected = 30;
        // The producer's first connection is slow; the load starts once it is made.
        using (var warmUp = await client.SendAsync(SlayADragon($"warm-up-{Guid.NewGuid():N}.datafun.com")))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        // The server span ends after the client has its response.
        await StreamingHost.WaitUntilAsync(() => ServerSpans(collector).Count == 1, "the warm-up's server span is exported");
        lock (collector.Spans)
        {
            collector.Spans.Clear();
        }

        // Long enough for the warm-up's token to come back.
        await Task.Delay(TimeSpan.FromSeconds(1.0 / limit) * 2);
        var started = Stopwatch.StartNew();
        var statuses = new HttpStatusCode[accepted + rejected];
        // Below the collector's limit on requests in flight, which would answer 503; the failures come once the limit is spent.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 32 };
        await Parallel.ForEachAsync(Enumerable.Range(0, accepted), parallel, async (i, _) => statuses[i] = await SendAsync(client, SlayADragon(user)));
        await Parallel.ForEachAsync(Enumerable.Range(accepted, rejected), parallel, async (i, _) => statuses[i] = await SendAsync(client, Malformed()));
        var elapsed = started.Elapsed;

        Assert.Equal(accepted, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(rejected, statuses.Count(status => status == HttpStatusCode.BadRequest));
        await StreamingHost.WaitUntilAsync(() => ServerSpans(collector).Count(span => span.GetTagItem("http.response.status_code") is 400) == rejected, "every rejected request is traced");
        var servers = ServerSpans(collector);
        var sampled = servers.Where(span => span.GetTagItem("http.response.status_code") is 200).ToList();
        Assert.InRange(sampled.Count, limit, limit + (int)Math.Ceiling(elapsed.TotalSeconds * limit));
        // A sampled trace is whole: its Kafka send, and the record carries it on.
        Assert.All(sampled, server => Assert.Single(collector.Spans, span => span.Kind == ActivityKind.Producer && span.ParentSpanId == server.SpanId));
        var traceparents = EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: accepted).Select(Traceparent).ToList();
        Assert.Equal(accepted, traceparents.Count);
        Assert.Equal(sampled.Count, traceparents.Count(traceparent => traceparent.EndsWith("-01", StringComparison.Ordinal)));
        // The others tell the stream processor not to sample them either.
        Assert.Equal(accepted - sampled.Count, traceparents.Count(traceparent => traceparent.EndsWith("-00", StringComparison.Ordinal)));

        await StreamingHost.WaitUntilAsync(() => RequestsCounted(collector, metrics) == 1 + accepted + rejected, "the request metrics count every request");
    }

    [Fact]
    public async Task The_standard_sampler_variable_chooses_the_sampler_instead()
    {
        await using var collector = new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = "always_off",
        });
        using var client = collector.CreateClient();

        using var accepted = await client.SendAsync(SlayADragon($"unsampled-{Guid.NewGuid():N}.datafun.com"));
        using var rejected = await client.SendAsync(Malformed());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Empty(collector.Spans);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            return response.StatusCode;
        }
    }

    private static HttpRequestMessage SlayADragon(string user) =>
        new(HttpMethod.Get, "/slay_a_dragon") { Headers = { Host = user } };

    private static HttpRequestMessage Malformed() =>
        new(HttpMethod.Post, "/v1/events") { Content = new StringContent("{\"event_type\":", Encoding.UTF8, "application/json") };

    private static List<Activity> ServerSpans(CollectorFactory collector)
    {
        lock (collector.Spans)
        {
            return collector.Spans.Where(span => span.Kind == ActivityKind.Server).ToList();
        }
    }

    private static string Traceparent(Confluent.Kafka.ConsumeResult<string, byte[]> record) =>
        record.Message.Headers.TryGetLastBytes("traceparent", out var value) ? Encoding.UTF8.GetString(value) : "";

    private static long RequestsCounted(CollectorFactory collector, List<MetricSnapshot> metrics)
    {
        metrics.Clear();
        collector.Services.GetRequiredService<MeterProvider>().ForceFlush();
        long count = 0;
        foreach (var metric in metrics.Where(metric => metric.Name == "http.server.request.duration"))
        {
            foreach (var point in metric.MetricPoints)
            {
                count += point.GetHistogramCount();
            }
        }

        return count;
    }
}
