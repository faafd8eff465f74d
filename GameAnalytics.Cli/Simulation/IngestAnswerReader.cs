using System.Text;
using System.Text.Json;
using GameAnalytics.Contracts;

namespace GameAnalytics.Cli.Simulation;

/// <summary>One entry of the collector's <c>results</c>: what became of the event at <see cref="Index"/> in the batch.</summary>
internal readonly record struct IngestResult(int Index, Outcome Outcome, string? Reason);

/// <summary>
/// Reads what the simulator needs from the collector's answers (the per-event <c>results</c> and a problem's
/// <c>detail</c>) with a forward-only reader, so a 1,000-event answer costs no object per accepted event.
/// </summary>
internal static class IngestAnswerReader
{
    private const int MaxExampleLength = 300;

    // The statuses as UTF-8, once: each of a 1,000-event answer's results is compared with them.
    private static readonly byte[] Accepted = Encoding.UTF8.GetBytes(EventStatus.Accepted);
    private static readonly byte[] Rejected = Encoding.UTF8.GetBytes(EventStatus.Rejected);
    private static readonly byte[] Failed = Encoding.UTF8.GetBytes(EventStatus.Failed);

    /// <summary>Fills <paramref name="results"/> and returns the problem's detail (or the body's text) when there is one.</summary>
    public static string? Read(ReadOnlySpan<byte> body, List<IngestResult> results)
    {
        results.Clear();
        if (body.IsEmpty)
        {
            return null;
        }

        string? detail = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Text(body);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("results"u8))
                {
                    reader.Read();
                    ReadResults(ref reader, results);
                }
                else if (reader.ValueTextEquals("detail"u8))
                {
                    reader.Read();
                    detail = reader.TokenType == JsonTokenType.String ? Truncate(reader.GetString()) : null;
                }
                else
                {
                    reader.Skip();
                }
            }

            return detail;
        }
        catch (JsonException)
        {
            // Not the collector's JSON (a proxy's error page, say): its text is still the best clue.
            results.Clear();
            return detail ?? Text(body);
        }
    }

    private static void ReadResults(ref Utf8JsonReader reader, List<IngestResult> results)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var index = -1;
            Outcome? outcome = null;
            string? reason = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    index = reader.TryGetInt32(out var value) ? value : -1;
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    outcome = reader.ValueTextEquals(Accepted) ? Outcome.Accepted
                        : reader.ValueTextEquals(Rejected) ? Outcome.Rejected
                        : reader.ValueTextEquals(Failed) ? Outcome.Failed
                        : null;
                }
                else if (reader.ValueTextEquals("reason"u8))
                {
                    reader.Read();
                    reason = reader.TokenType == JsonTokenType.String ? Truncate(reader.GetString()) : null;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (index >= 0 && outcome is { } known)
            {
                results.Add(new IngestResult(index, known, reason));
            }
        }
    }

    private static string Text(ReadOnlySpan<byte> body) =>
        Truncate(Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxExampleLength * 4)]).Trim())!;

    private static string? Truncate(string? text) =>
        text is { Length: > MaxExampleLength } ? text[..MaxExampleLength] + "…" : text;
}
