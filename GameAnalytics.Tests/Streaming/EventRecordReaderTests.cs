using System.Text;
using System.Text.Json;
using GameAnalytics.Events.Envelope;
using GameAnalytics.Streaming.Landing;
using GameAnalytics.Streaming.Routing;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.Streaming;

/// <summary>
/// The landing path's fast reader against the envelope's own deserializer (System.Text.Json, through
/// <see cref="EventRecordParser"/>): whatever the fast reader lands, the deserializer reads to the same row, and whatever
/// the deserializer rejects, the fast reader leaves alone.
/// </summary>
public sealed class EventRecordReaderTests
{
    private const long KafkaTimestamp = 1_764_446_400_123; // 2025-11-29 20:00:00.123 UTC

    private static readonly TableRouter Router = RandomEnvelopes.Router;
    private static readonly EventRecordReader Reader = new(Router);
    private static readonly EventRecordParser Parser = new(Router, TimeProvider.System);

    [Fact]
    public void Reads_every_record_the_collector_writes_as_the_deserializer_does()
    {
        var random = new Random(17);
        for (var i = 0; i < 2_000; i++)
        {
            var value = RandomEnvelopes.Next(random).ToUtf8Json();
            var (fast, reference) = ReadBoth(value, offset: i);

            Assert.True(fast is not null, $"the fast reader left a collector record to the parser: {Encoding.UTF8.GetString(value)}");
            Assert.Equal(reference, fast);
        }
    }

    [Fact]
    public void Lands_nothing_the_deserializer_rejects_and_reads_what_it_lands_alike()
    {
        var random = new Random(29);
        var (fastPaths, rejected, cases) = (0, 0, 0);
        foreach (var value in Variants(random))
        {
            cases++;
            var (fast, reference) = ReadBoth(value, offset: cases);
            if (fast is not null)
            {
                fastPaths++;
                Assert.True(reference is not null, $"the fast reader landed what the deserializer rejects: {Encoding.UTF8.GetString(value)}");
                Assert.Equal(reference, fast);
            }

            rejected += reference is null ? 1 : 0;
        }

        // Both kinds of case are really there: records the fast path takes, and records to reject.
        Assert.InRange(fastPaths, cases / 10, cases);
        Assert.InRange(rejected, cases / 10, cases);
    }

    [Fact]
    public void Leaves_a_lone_surrogate_to_the_parser_which_rejects_it()
    {
        var value = """{"schema_version":1,"event_id":"0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f","event_type":"join_guild","user_id":"\ud800","received_at":"2026-11-29T20:00:00Z"}"""u8.ToArray();

        var (fast, reference) = ReadBoth(value, offset: 0);

        Assert.Null(fast);
        Assert.Null(reference);
        Assert.StartsWith("The record is not a valid event envelope", Parser.Parse(value, 0, 0, KafkaTimestamp).Rejected!.Reason);
    }

    /// <returns>The row each path reads, with its table; null where the path does not land the record.</returns>
    private static ((string Table, LandedEvent Row)? Fast, (string Table, LandedEvent Row)? Reference) ReadBoth(byte[] value, long offset)
    {
        var rows = new EventRows();
        (string, LandedEvent)? fast = Reader.TryRead(value, 3, offset, KafkaTimestamp, rows, out var eventId)
            ? (Router.Tables[rows[0].Table], Row(rows, 0))
            : null;
        if (fast is not null)
        {
            Assert.Equal(1, rows.Count);
            Assert.Equal(fast.Value.Item2.EventId, eventId.ToString());
        }
        else
        {
            Assert.Equal((0, 0), rows.Mark());
        }

        var parsed = Parser.Parse(value, 3, offset, KafkaTimestamp);
        return (fast, parsed.Event is { } landed ? (parsed.Table, landed) : null);
    }

    private static LandedEvent Row(EventRows rows, int index)
    {
        var row = rows[index];
        string? Text(TextSlice slice) => slice.IsNull ? null : Encoding.UTF8.GetString(rows.Text(slice));
        return new LandedEvent(Text(row.RawEvent)!, Text(row.Timestamp)!, Text(row.Accept), Text(row.Host), Text(row.UserAgent), Text(row.EventType)!,
            Text(row.EventId)!, Text(row.UserId)!, row.ReceivedAt, row.ClientTime, Text(row.Properties), row.KafkaPartition, row.KafkaOffset, Text(row.AppId));
    }

    /// <summary>Valid records in unusual shapes and invalid ones, each made from a valid record by one or two edits.</summary>
    private static IEnumerable<byte[]> Variants(Random random)
    {
        string[] values =
        [
            "null", "true", "0", "1", "1.0", "1e0", "-1", "2", "\"\"", "\"1\"", "[]", "{}", "[1,{\"a\":2}]", "{\"a\":{\"b\":[null]}}",
            "\"0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f\"", "\"0195F0A4-7B7C-7CC0-8A3E-6A4F6C1D2E3F\"", "\"{0195f0a4-7b7c-7cc0-8a3e-6a4f6c1d2e3f}\"",
            "\"00000000-0000-0000-0000-000000000000\"", "\"2026-11-29\"", "\"2026-11-29T20:00:00\"", "\"2026-11-29T20:00:00+05:30\"",
            "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.9999999-01:00\"", "\"2026-13-01T00:00:00Z\"", "\"join_guild\"", "\"join\\u005fguild\"",
            "\"summon_demon\"", "\"JOIN_GUILD\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\udc09\"", "\"\\u0000\"", "\"a\\/b\"", "{\"x-a\":1}",
            "{\"x-a\":\"\\ud800\"}", "{\"x\\u002da\":\"b\"}", "{\"a\":\"1\",\"a\":\"2\"}",
        ];
        string[] names = ["schema_version", "event_id", "event_type", "user_id", "received_at", "client_time", "app_id", "host", "user_agent", "accept", "properties", "headers", "extra"];
        for (var i = 0; i < 3_000; i++)
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(RandomEnvelopes.Next(random).ToUtf8Json())!
                .Select(field => (Name: field.Key, Value: field.Value.GetRawText())).ToList();
            var edits = 1 + random.Next(2);
            for (var edit = 0; edit < edits; edit++)
            {
                var name = names[random.Next(names.Length)];
                var value = values[random.Next(values.Length)];
                var at = fields.FindIndex(field => field.Name == name);
                switch (random.Next(5))
                {
                    case 0 when at >= 0: fields.RemoveAt(at); break;
                    case 1: fields.Add((name, value)); break; // a second value, or a new field
                    case 2 when at >= 0: fields[at] = ("\\u00" + ((int)name[0]).ToString("x2") + name[1..], fields[at].Value); break;
                    default: if (at >= 0) { fields[at] = (name, value); } else { fields.Add((name, value)); } break;
                }
            }

            var json = "{" + string.Join(",", fields.Select(field => $"\"{field.Name}\":{field.Value}")) + "}";
            yield return Encoding.UTF8.GetBytes(random.Next(20) switch
            {
                0 => json + " {}",
                1 => json + "  \n",
                2 => "[" + json + "]",
                3 => json[..^1],
                _ => json,
            });
        }

        yield return [0xff, 0xfe, 0x00];
        yield return "null"u8.ToArray();
        yield return []; // a tombstone
    }
}
