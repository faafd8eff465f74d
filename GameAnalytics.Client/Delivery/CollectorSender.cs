using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GameAnalytics.Client.Tracking;
using GameAnalytics.Contracts;

namespace GameAnalytics.Client.Delivery;

/// <summary>Posts one batch to the collector's <c>/v1/events</c> and sorts its events by the answer.</summary>
internal sealed class CollectorSender(HttpClient http, Uri collector, string? writeKey, TimeSpan timeout)
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly Uri _events = new(collector, IngestRoutes.Events);

    public async Task<SendOutcome> SendAsync(IReadOnlyList<TrackedEvent> batch, CancellationToken cancellationToken)
    {
        var outcome = new SendOutcome();
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, _events) { Content = Body(batch) };
        if (writeKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", writeKey);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        byte[] answer;
        try
        {
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            outcome.Status = response.StatusCode;
            outcome.RetryAfter = RetryAfter(response.Headers.RetryAfter);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(batch, outcome, $"no answer within {timeout.TotalSeconds:0.#} s", ex, started);
        }
        catch (HttpRequestException ex)
        {
            return Unanswered(batch, outcome, ex.InnerException?.Message ?? ex.Message, ex, started);
        }

        outcome.Elapsed = Elapsed(started);
        var status = (int)outcome.Status;
        var (results, detail) = Read(answer, success: status is >= 200 and < 300);
        outcome.Problem = status is >= 200 and < 300 ? null : detail ?? $"HTTP {status}";
        var retryable = status is 408 or 429 or >= 500;
        for (var index = 0; index < batch.Count; index++)
        {
            var result = results is not null && results.TryGetValue(index, out var found) ? found : null;
            switch (result?.Status)
            {
                case EventStatus.Accepted:
                    outcome.Accepted.Add(batch[index]);
                    break;
                case EventStatus.Rejected:
                    outcome.Rejected.Add((batch[index], result.Reason ?? outcome.Problem ?? "rejected"));
                    break;
                case EventStatus.Failed:
                    outcome.Retry.Add(batch[index]);
                    break;
                default:
                    // No word on this event: the status speaks for it.
                    if (status is >= 200 and < 300)
                    {
                        outcome.Accepted.Add(batch[index]);
                    }
                    else if (retryable)
                    {
                        outcome.Retry.Add(batch[index]);
                    }
                    else
                    {
                        outcome.Rejected.Add((batch[index], outcome.Problem!));
                    }

                    break;
            }
        }

        return outcome;
    }

    private static ByteArrayContent Body(IReadOnlyList<TrackedEvent> batch)
    {
        var length = 2 + batch.Sum(tracked => tracked.Json.Length) + Math.Max(0, batch.Count - 1);
        var body = new byte[length];
        body[0] = (byte)'[';
        var position = 1;
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0)
            {
                body[position++] = (byte)',';
            }

            Buffer.BlockCopy(batch[i].Json, 0, body, position, batch[i].Json.Length);
            position += batch[i].Json.Length;
        }

        body[position] = (byte)']';
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        return content;
    }

    /// <summary>The per-event results, when the answer has them, and the problem's detail, when it is one.</summary>
    private static (Dictionary<int, EventResult>? Results, string? Detail) Read(byte[] answer, bool success)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            // An answer that accepted everything needs no per-event reading: the common case, kept cheap.
            var allAccepted = success && root.TryGetProperty("rejected", out var rejected) && rejected.ValueKind == JsonValueKind.Number && rejected.GetInt32() == 0;
            var results = !allAccepted && root.TryGetProperty("results", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.Deserialize<List<EventResult>>(ContractJson.Options)?.GroupBy(result => result.Index).ToDictionary(group => group.Key, group => group.First())
                : null;
            var detail = root.TryGetProperty("detail", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()
                : root.TryGetProperty("title", out text) && text.ValueKind == JsonValueKind.String ? text.GetString()
                : null;
            return (results, detail);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    private static SendOutcome Unanswered(IReadOnlyList<TrackedEvent> batch, SendOutcome outcome, string problem, Exception exception, long started)
    {
        outcome.Retry.AddRange(batch);
        outcome.Problem = problem;
        outcome.Exception = exception;
        outcome.Elapsed = Elapsed(started);
        return outcome;
    }

    private static TimeSpan Elapsed(long started) =>
        TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency);
}
