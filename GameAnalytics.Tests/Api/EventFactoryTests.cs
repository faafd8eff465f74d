using System.Text.Json;
using GameAnalytics.Api.Collector;
using GameAnalytics.Contracts;
using GameAnalytics.Events.Catalog;
using GameAnalytics.Events.Envelope;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Tests.Api;

public sealed class EventFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    private static readonly RequestMetadata Request = new(
        Now, "User1.DataFun.com:5000", "user1.datafun.com", "curl/8.5", "*/*", new Dictionary<string, string> { ["x-request-id"] = "r-1" });

    private readonly EventFactory _factory = new(
        EventCatalog.FromOptions(new EventCatalogOptions { Types = { ["open_chest"] = "A player opens a chest" } }),
        Options.Create(new CollectorOptions { MaxUserIdLength = 17, MaxPropertiesBytes = 64 }));

    [Fact]
    public void Builds_the_envelope_from_the_event_and_the_request()
    {
        var envelope = Create("""
            {"event_type":"open_chest","user_id":"player-7","event_id":"0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f",
             "client_time":"2026-11-29T21:59:58+02:00","properties":{"chest":"gold"}}
            """);

        Assert.Equal(Guid.Parse("0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f"), envelope.EventId);
        Assert.Equal("open_chest", envelope.EventType);
        Assert.Equal("player-7", envelope.UserId);
        Assert.Equal(Now, envelope.ReceivedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 19, 59, 58, TimeSpan.Zero), envelope.ClientTime);
        Assert.Equal(TimeSpan.Zero, envelope.ClientTime!.Value.Offset);
        Assert.Equal("User1.DataFun.com:5000", envelope.Host);
        Assert.Equal("curl/8.5", envelope.UserAgent);
        Assert.Equal("*/*", envelope.Accept);
        Assert.Equal("gold", envelope.Properties!.Value.GetProperty("chest").GetString());
        Assert.Equal("r-1", envelope.Headers["x-request-id"]);
    }

    [Fact]
    public void Without_user_id_the_user_is_the_host_as_in_the_original()
    {
        var envelope = Create("""{"event_type":"join_guild"}""");

        Assert.Equal("user1.datafun.com", envelope.UserId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""
        "not-a-uuid"
        """)]
    [InlineData("""
        "00000000-0000-0000-0000-000000000000"
        """)]
    public void Without_a_valid_client_uuid_the_event_gets_a_new_uuid_v7(string? eventId)
    {
        var envelope = Create($$"""{"event_type":"join_guild","event_id":{{eventId ?? "null"}}}""");

        Assert.Equal(7, envelope.EventId.Version);
        Assert.NotEqual(Guid.Empty, envelope.EventId);
    }

    [Fact]
    public void The_original_routes_build_events_of_their_type_for_the_host_user()
    {
        Assert.True(_factory.TryCreate(EventTypes.SlayDragon, Request, out var outgoing, out _));
        var envelope = EventEnvelope.FromUtf8Json(outgoing.Value)!;

        Assert.Equal("slay_dragon", envelope.EventType);
        Assert.Equal("user1.datafun.com", envelope.UserId);
        Assert.Null(envelope.Properties);
    }

    [Theory]
    [InlineData("""{"event_type":"dance"}""", "Unknown event_type 'dance'. Allowed types: catch_butterfly, default, join_guild, open_chest, purchase_sword, slay_dragon.")]
    [InlineData("""{"user_id":"u"}""", "event_type is required.")]
    [InlineData("""{"event_type":42}""", "event_type must be a string, not a number.")]
    [InlineData("""{"event_type":"join_guild","user_id":7}""", "user_id must be a string, not a number.")]
    [InlineData("""{"event_type":"join_guild","user_id":""}""", "user_id must be between 1 and 17 characters.")]
    [InlineData("""{"event_type":"join_guild","user_id":"eighteen-chars!!!!"}""", "user_id must be between 1 and 17 characters.")]
    [InlineData("""{"event_type":"join_guild","event_id":true}""", "event_id must be a string, not a boolean.")]
    [InlineData("""{"event_type":"join_guild","client_time":"yesterday"}""", "client_time must be an ISO 8601 date and time with an offset, e.g. 2026-11-29T20:15:00Z.")]
    [InlineData("""{"event_type":"join_guild","client_time":"2026-11-29T20:15:00"}""", "client_time must be an ISO 8601 date and time with an offset, e.g. 2026-11-29T20:15:00Z.")]
    [InlineData("""{"event_type":"join_guild","client_time":1764446100}""", "client_time must be a string, not a number.")]
    [InlineData("""{"event_type":"join_guild","properties":[1,2]}""", "properties must be a JSON object, not an array.")]
    [InlineData("""{"event_type":"join_guild","properties":{"blob":"0123456789012345678901234567890123456789012345678901234567890123456789"}}""", "properties is larger than 64 bytes of JSON.")]
    [InlineData("""{"event_type":"join_guild","guild":"red"}""", "Unknown field 'guild'. An event has event_type, user_id, event_id, client_time and properties; put game data in properties.")]
    [InlineData("""["join_guild"]""", "An event must be a JSON object, not an array.")]
    [InlineData("""{"event_type":"join_guild","user_id":"\ud800"}""", "The value of user_id is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).")]
    [InlineData("""{"event_type":"\udfff"}""", "The value of event_type is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).")]
    [InlineData("""{"event_type":"join_guild","\ud800":1}""", "A field name is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).")]
    [InlineData("""{"event_type":"join_guild","properties":{"a":["\ud800"]}}""", "properties holds a name or string that is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).")]
    [InlineData("""{"event_type":"join_guild","properties":{"\udc00x":1}}""", "properties holds a name or string that is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).")]
    public void Rejects_an_invalid_event_with_the_reason(string json, string reason)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(_factory.TryCreate(document.RootElement, Request, out var outgoing, out var actual));
        Assert.Null(outgoing);
        Assert.Equal(reason, actual);
    }

    [Fact]
    public void Rejects_invalid_utf8_in_a_string()
    {
        // System.Text.Json parses such bytes and fails only when the string is read.
        byte[] json = [.. """{"event_type":"join_guild","user_id":"a"""u8, 0xFF, 0xFE, .. "b\"}"u8];
        using var document = JsonDocument.Parse(json);

        Assert.False(_factory.TryCreate(document.RootElement, Request, out _, out var reason));
        Assert.Equal("The value of user_id is not valid Unicode (a lone surrogate, or bytes that are not UTF-8).", reason);
    }

    [Fact]
    public void A_host_longer_than_a_user_id_may_be_is_no_user_id()
    {
        using var document = JsonDocument.Parse("""{"event_type":"join_guild"}""");
        var longHost = Request with { Host = new string('h', 18), HostUserId = new string('h', 18) };

        Assert.False(_factory.TryCreate(document.RootElement, longHost, out _, out var reason));
        Assert.Equal("The Host header is longer than 17 characters, the most a user_id may have: send user_id.", reason);
        Assert.False(_factory.TryCreate(EventTypes.JoinGuild, longHost, out _, out _));
    }

    [Fact]
    public void Rejects_an_event_when_no_user_can_be_derived()
    {
        using var document = JsonDocument.Parse("""{"event_type":"join_guild"}""");
        var noHost = Request with { Host = null, HostUserId = null };

        Assert.False(_factory.TryCreate(document.RootElement, noHost, out _, out var reason));
        Assert.Equal("user_id is required when the request has no Host header to derive it from.", reason);
    }

    private EventEnvelope Create(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(_factory.TryCreate(document.RootElement, Request, out var outgoing, out var reason), reason);
        // As the stream processor will read it: the record's value.
        return EventEnvelope.FromUtf8Json(outgoing.Value)!;
    }
}
