using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Events.Kafka;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Api;

/// <summary>The collector in-process, producing over TCP to the dev broker; records read back with a real consumer.</summary>
[Collection(KafkaCollection.Name)]
public sealed class CollectorKafkaTests(DevBrokerFixture kafka) : IAsyncLifetime
{
    private const string WriteKey = "top-secret-write-key-of-arcade";

    private CollectorFactory _collector = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _collector = new CollectorFactory(kafka.BootstrapServers, new Dictionary<string, string?> { ["Collector:WriteKeys:arcade"] = WriteKey });
        _client = _collector.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    [Theory]
    [InlineData("/", "default", "This is the default response!\n")]
    [InlineData("/purchase_a_sword", "purchase_sword", "Sword Purchased!\n")]
    [InlineData("/join_guild", "join_guild", "Guild Joined!\n")]
    [InlineData("/slay_a_dragon", "slay_dragon", "Dragon Slayed!\n")]
    [InlineData("/catch_a_butterfly", "catch_butterfly", "Butterfly Captured!\n")]
    public async Task An_original_route_answers_its_text_once_the_event_is_in_kafka(string path, string eventType, string text)
    {
        var host = UniqueHost();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        request.Headers.Add("User-Agent", "ApacheBench/2.3");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(text, await response.Content.ReadAsStringAsync());
        var record = Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, host, expected: 1));
        var envelope = EventEnvelope.FromUtf8Json(record.Message.Value)!;
        Assert.Equal(eventType, envelope.EventType);
        Assert.Equal(host, envelope.UserId);
        Assert.Equal(host, envelope.Host);
        Assert.Equal("ApacheBench/2.3", envelope.UserAgent);
    }

    [Fact]
    public async Task Post_works_on_the_original_routes_too()
    {
        var host = UniqueHost();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/catch_a_butterfly");
        request.Headers.Host = host;

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, host, expected: 1));
    }

    [Fact]
    public async Task The_record_holds_the_envelope_keyed_by_user_with_only_allowlisted_headers()
    {
        var user = $"player-{Guid.NewGuid():N}";
        var eventId = Guid.NewGuid();
        using var request = JsonRequest($$$"""
            {"event_type":"slay_dragon","user_id":"{{{user}}}","event_id":"{{{eventId}}}",
             "client_time":"2026-11-29T20:15:00Z","properties":{"dragon":"smaug","damage":9000}}
            """);
        request.Headers.Host = "user1.datafun.com";
        request.Headers.Add("Authorization", $"Bearer {WriteKey}");
        request.Headers.Add("Cookie", "session=abc");
        request.Headers.Add("X-Api-Key", "key-123");
        request.Headers.Add("X-Request-Id", "req-7");
        request.Headers.Add("Accept", "application/json");
        var before = DateTimeOffset.UtcNow;

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 1));
        Assert.Equal(user, record.Message.Key);

        var raw = Encoding.UTF8.GetString(record.Message.Value);
        Assert.DoesNotContain(WriteKey, raw);
        Assert.DoesNotContain("session=abc", raw);
        Assert.DoesNotContain("key-123", raw);

        var envelope = EventEnvelope.FromUtf8Json(record.Message.Value)!;
        Assert.Equal(eventId, envelope.EventId);
        Assert.Equal("slay_dragon", envelope.EventType);
        Assert.Equal(user, envelope.UserId);
        Assert.Equal("arcade", envelope.AppId);
        Assert.InRange(envelope.ReceivedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.Zero, envelope.ReceivedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 20, 15, 0, TimeSpan.Zero), envelope.ClientTime);
        Assert.Equal("user1.datafun.com", envelope.Host);
        Assert.Equal("application/json", envelope.Accept);
        Assert.Equal("smaug", envelope.Properties!.Value.GetProperty("dragon").GetString());
        Assert.Equal(9000, envelope.Properties!.Value.GetProperty("damage").GetInt32());
        Assert.Equal(new Dictionary<string, string> { ["x-request-id"] = "req-7" }, envelope.Headers);
    }

    [Fact]
    public async Task The_traceparent_in_kafka_belongs_to_the_http_request_trace()
    {
        var user = $"player-{Guid.NewGuid():N}";
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpanId = ActivitySpanId.CreateRandom();
        using var request = JsonRequest($$"""{"event_type":"join_guild","user_id":"{{user}}"}""");
        request.Headers.Add("traceparent", $"00-{traceId}-{clientSpanId}-01");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = Assert.Single(EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 1));
        var propagated = KafkaTracePropagation.Extract(record.Message.Headers).ActivityContext;
        Assert.Equal(traceId, propagated.TraceId);

        // The record's parent is the produce span, itself a child of the HTTP request's span.
        var send = Assert.Single(_collector.Spans, span => span.SpanId == propagated.SpanId);
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal("send events", send.DisplayName);
        Assert.Equal("kafka", send.GetTagItem("messaging.system"));
        Assert.Equal("events", send.GetTagItem("messaging.destination.name"));
        var server = Assert.Single(_collector.Spans, span => span.SpanId == send.ParentSpanId);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal(clientSpanId, server.ParentSpanId);
    }

    [Fact]
    public async Task A_batch_answers_per_event_and_lands_only_the_valid_ones()
    {
        var user = $"player-{Guid.NewGuid():N}";
        using var request = JsonRequest($$"""
            [
              {"event_type":"purchase_sword","user_id":"{{user}}"},
              {"event_type":"summon_demon","user_id":"{{user}}"},
              {"event_type":"catch_butterfly","user_id":"{{user}}"}
            ]
            """);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.RootElement.GetProperty("rejected").GetInt32());
        var results = body.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["accepted", "rejected", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Contains("Unknown event_type 'summon_demon'", results[1].GetProperty("reason").GetString());

        var records = EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 2);
        var landed = records.Select(r => EventEnvelope.FromUtf8Json(r.Message.Value)!).ToArray();
        Assert.Equal(["purchase_sword", "catch_butterfly"], landed.Select(e => e.EventType));
        Assert.Equal(
            [results[0].GetProperty("event_id").GetGuid(), results[2].GetProperty("event_id").GetGuid()],
            landed.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_single_unknown_type_is_a_400_problem_naming_the_allowed_types()
    {
        using var response = await _client.SendAsync(JsonRequest("""{"event_type":"summon_demon","user_id":"x"}"""));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains("Allowed types: catch_butterfly, default, join_guild, purchase_sword, slay_dragon", problem.GetProperty("detail").GetString());
        Assert.Equal(5, problem.GetProperty("allowed_event_types").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"event_type": "join_guild",""", "The request body is not valid JSON (line 1")]
    [InlineData("", "The request body is empty.")]
    [InlineData("[]", "The batch is empty: send at least one event.")]
    [InlineData("42", "An event must be a JSON object, not a number.")]
    [InlineData("""[{"event_type":"nope"},{"event_type":"nada"}]""", "No event in the batch is valid; see results.")]
    public async Task Bad_bodies_are_400_problems_with_the_reason(string body, string detail)
    {
        using var response = await _client.SendAsync(JsonRequest(body));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.StartsWith(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent("event_type=join_guild", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var response = await _client.SendAsync(request);

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_a_413_problem_and_nothing_lands()
    {
        var user = $"player-{Guid.NewGuid():N}";
        var padding = new string('x', 60_000);
        var events = Enumerable.Range(0, 20).Select(_ => $$$"""{"event_type":"join_guild","user_id":"{{{user}}}","properties":{"pad":"{{{padding}}}"}}""");

        using var response = await _client.SendAsync(JsonRequest($"[{string.Join(',', events)}]"));

        var problem = await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576 bytes", problem.GetProperty("detail").GetString());
        Assert.Empty(EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 1, timeout: TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_problem_too()
    {
        var padding = new string('x', 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$$"""{"event_type":"join_guild","properties":{"pad":"{{{padding}}}"}}"""))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.SendAsync(request);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_batch_over_1000_events_is_a_413_problem()
    {
        var events = Enumerable.Repeat("""{"event_type":"join_guild","user_id":"u"}""", 1001);

        using var response = await _client.SendAsync(JsonRequest($"[{string.Join(',', events)}]"));

        var problem = await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1001 events", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_batch_of_1000_events_lands_whole()
    {
        var user = $"player-{Guid.NewGuid():N}";
        var events = Enumerable.Range(0, 1000).Select(i => $$$"""{"event_type":"purchase_sword","user_id":"{{{user}}}","properties":{"n":{{{i}}}}}""");

        using var response = await _client.SendAsync(JsonRequest($"[{string.Join(',', events)}]"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var records = EventsTopic.ReadByKey(kafka.BootstrapServers, user, expected: 1000);
        // One key, one partition: the user's events keep their order.
        Assert.Equal(Enumerable.Range(0, 1000), records.Select(r => EventEnvelope.FromUtf8Json(r.Message.Value)!.Properties!.Value.GetProperty("n").GetInt32()));
        Assert.Single(records.Select(r => r.Partition.Value).Distinct());
    }

    private static string UniqueHost() => $"user-{Guid.NewGuid():N}.datafun.com";

    private static HttpRequestMessage JsonRequest(string json) => new(HttpMethod.Post, "/v1/events")
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
