using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Api;

/// <summary>
/// Ten thousand generated requests (seeded, so a failure can be replayed) of many shapes, against the real collector
/// and the dev broker: every answer is 2xx or 4xx, the collector still answers afterwards, and every event it
/// accepted is in Kafka, once.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class CollectorFuzzTests(DevBrokerFixture kafka)
{
    private const int Seed = 20261202;
    private const int Requests = 10_000;

    private static readonly string[] Routes = ["/", "/purchase_a_sword", "/join_guild", "/slay_a_dragon", "/catch_a_butterfly"];
    private static readonly string[] Types = ["purchase_sword", "join_guild", "slay_dragon", "catch_butterfly", "default"];

    [Fact]
    public async Task Hostile_requests_get_2xx_or_4xx_and_every_accepted_event_lands()
    {
        await using var collector = new CollectorFactory(kafka.BootstrapServers);
        using var client = collector.CreateClient();
        var prefix = $"fz{Guid.NewGuid():N}"[..10];
        var random = new Random(Seed);
        var requests = Enumerable.Range(0, Requests).Select(i => Generate(random, prefix, i)).ToList();

        var serverErrors = new ConcurrentBag<string>();
        var acceptedIds = new ConcurrentBag<Guid>();
        var routeEvents = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (generated, cancellationToken) =>
        {
            using var request = generated.Build();
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is < 200 or >= 500)
            {
                serverErrors.Add($"#{generated.Index} {generated.Shape}: {status} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return;
            }

            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                foreach (var result in answer.RootElement.GetProperty("results").EnumerateArray().Where(result => result.GetProperty("status").GetString() == "accepted"))
                {
                    acceptedIds.Add(result.GetProperty("event_id").GetGuid());
                }
            }
            else if (response.StatusCode == HttpStatusCode.OK && generated.Shape.StartsWith("route", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref routeEvents);
            }
        });

        Assert.True(serverErrors.IsEmpty, $"{serverErrors.Count} answers were not 2xx or 4xx (seed {Seed}); the first: {string.Join("\n", serverErrors.Take(5))}");
        using var alive = await client.GetAsync("/slay_a_dragon");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        // Every key of this run starts with its prefix; the check request's does not.
        var expected = acceptedIds.Count + routeEvents;
        var landed = EventsTopic.Read(kafka.BootstrapServers, key => key?.StartsWith(prefix, StringComparison.Ordinal) == true, expected, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));
        var landedIds = landed.Select(record => EventEnvelope.FromUtf8Json(record.Message.Value)!.EventId).ToList();
        Assert.True(acceptedIds.Count > 1000 && routeEvents > 100, $"the generated traffic holds valid events ({acceptedIds.Count} accepted, {routeEvents} on the original routes)");
        Assert.Equal(expected, landed.Count);
        Assert.Empty(acceptedIds.Except(landedIds));
    }

    private static GeneratedRequest Generate(Random random, string prefix, int index)
    {
        var user = $"{prefix}{random.Next(1000)}";
        return random.Next(14) switch
        {
            0 or 1 => Json(index, "valid event", Event(random, user)),
            2 => Json(index, "mixed batch", "[" + string.Join(",", Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(4) == 0 ? Hostile(random, user) : Event(random, user))) + "]"),
            3 => Json(index, "hostile event", Hostile(random, user)),
            4 => Raw(index, "broken json", Truncated(random, Event(random, user)), "application/json"),
            5 => Raw(index, "invalid utf-8", InvalidUtf8(random, Event(random, user)), "application/json"),
            6 => Json(index, "deep properties", $$$"""{"event_type":"join_guild","user_id":"{{{user}}}","properties":{"a":{{{Deep(random.Next(30, 300))}}}}}"""),
            7 => Json(index, "huge properties", $$$"""{"event_type":"join_guild","user_id":"{{{user}}}","properties":{"blob":"{{{new string('x', random.Next(60_000, 70_000))}}}"}}"""),
            8 => random.Next(20) == 0
                ? Json(index, "huge body", "[" + string.Join(",", Enumerable.Repeat(Event(random, user), 1200)) + "]")
                : Raw(index, "odd content type", Encoding.UTF8.GetBytes(Event(random, user)), Pick(random, ["text/xml", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=latin1", "", "application/octet-stream"])),
            9 => Json(index, "huge headers", Event(random, user), headers: [("User-Agent", new string('u', random.Next(1, 40_000))), ("Accept", new string('a', random.Next(1, 10_000))), ("X-Request-Id", "\ud800 lone")]),
            10 => new GeneratedRequest(index, "wrong method", new HttpMethod(Pick(random, ["PUT", "DELETE", "PATCH", "OPTIONS", "GET"])), Pick(random, ["/v1/events", "/purchase_a_sword", "/v1/nothing"]), null, null, []),
            11 => new GeneratedRequest(index, "route with odd host", Pick(random, [HttpMethod.Get, HttpMethod.Post]), Pick(random, Routes), null, null,
                [("Host", Pick(random, [$"{user}.example", $"{user}.example:5000", $"{user}{new string('h', 300)}", $"{user}\ud800.example", $"{user} .example", $"{user}.é.example"]))]),
            12 => new GeneratedRequest(index, "route", HttpMethod.Get, Pick(random, Routes), null, null, [("Host", $"{user}.example")]),
            _ => Json(index, "single event without user", $$"""{"event_type":"{{Pick(random, Types)}}"}""", headers: [("Host", $"{user}.example")]),
        };
    }

    private static string Event(Random random, string user)
    {
        var fields = new List<string> { $"\"event_type\":\"{Pick(random, Types)}\"", $"\"user_id\":\"{user}\"" };
        if (random.Next(2) == 0)
        {
            fields.Add($"\"event_id\":\"{Guid.CreateVersion7()}\"");
        }

        if (random.Next(3) == 0)
        {
            fields.Add("\"client_time\":\"2026-12-02T10:00:00Z\"");
        }

        if (random.Next(2) == 0)
        {
            fields.Add($"\"properties\":{{\"sword\":\"excalibur\",\"price\":{random.Next(100)},\"tags\":[\"a\",\"b\"],\"nested\":{{\"x\":null}}}}");
        }

        return "{" + string.Join(",", fields) + "}";
    }

    /// <summary>An event with one field made wrong: a wrong type, a lone surrogate, an unknown field, an odd value.</summary>
    private static string Hostile(Random random, string user)
    {
        var surrogate = Pick(random, ["\\ud800", "\\udfff", "\\ud83d", "x\\udc00y", "\\ud800\\ud800"]);
        return random.Next(12) switch
        {
            0 => $$"""{"event_type":"{{surrogate}}","user_id":"{{user}}"}""",
            1 => $$"""{"event_type":"join_guild","user_id":"{{user}}{{surrogate}}"}""",
            2 => $$"""{"event_type":"join_guild","user_id":"{{user}}","event_id":"{{surrogate}}"}""",
            3 => $$"""{"event_type":"join_guild","user_id":"{{user}}","client_time":"{{surrogate}}"}""",
            4 => $$$"""{"event_type":"join_guild","user_id":"{{{user}}}","properties":{"{{{surrogate}}}":1}}""",
            5 => $$$"""{"event_type":"join_guild","user_id":"{{{user}}}","properties":{"a":[{"b":"{{{surrogate}}}"}]}}""",
            6 => $$"""{"event_type":"join_guild","{{surrogate}}":"{{user}}"}""",
            7 => $$"""{"event_type":{{Pick(random, ["1", "null", "[]", "{}", "true"])}},"user_id":"{{user}}"}""",
            8 => $$"""{"event_type":"join_guild","user_id":{{Pick(random, ["1", "[]", "{}", "false", "\"\""])}}}""",
            9 => $$"""{"event_type":"join_guild","user_id":"{{user}}","properties":{{Pick(random, ["1", "\"s\"", "[1]", "true"])}}}""",
            10 => $$"""{"event_type":"join_guild","user_id":"{{user}}{{new string('u', random.Next(250, 400))}}"}""",
            _ => Pick(random, ["1", "\"event\"", "null", "[]", $$"""{"event_type":"summon_demon","user_id":"{{user}}"}"""]),
        };
    }

    private static byte[] Truncated(Random random, string json) =>
        random.Next(4) == 0
            ? Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256)).ToArray()
            : Encoding.UTF8.GetBytes(json[..random.Next(json.Length)] + Pick(random, ["", "}", "]", ",", "\"", "{{", "\\"]));

    /// <summary>The event's JSON with bytes that are not UTF-8 inside one of its strings.</summary>
    private static byte[] InvalidUtf8(Random random, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        var quotes = bytes.Select((b, i) => (b, i)).Where(pair => pair.b == (byte)'"').Select(pair => pair.i).ToList();
        byte[] bad = Pick(random, new[] { new byte[] { 0xFF }, [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82] });
        bytes.InsertRange(quotes[random.Next(quotes.Count)] + 1, bad);
        return [.. bytes];
    }

    private static string Deep(int depth) => string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth));

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];

    private static GeneratedRequest Json(int index, string shape, string json, (string, string)[]? headers = null) =>
        Raw(index, shape, Encoding.UTF8.GetBytes(json), "application/json", headers);

    private static GeneratedRequest Raw(int index, string shape, byte[] body, string contentType, (string, string)[]? headers = null) =>
        new(index, shape, HttpMethod.Post, "/v1/events", body, contentType, headers ?? []);

    private sealed record GeneratedRequest(int Index, string Shape, HttpMethod Method, string Path, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers)
    {
        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(Method, Path);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (!string.IsNullOrEmpty(ContentType))
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            foreach (var (name, value) in Headers)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }
    }
}
