using System.Text.Json;
using GameAnalytics.Api.Collector;
using GameAnalytics.Api.Kafka;
using GameAnalytics.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Apis;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Events");

        api.MapPost(IngestRoutes.Events, IngestAsync)
            .WithName("IngestEvents")
            .WithSummary("Send one event, or an array of up to 1,000 events")
            .WithDescription(
                "Answers 202 with a result per event once Kafka has acknowledged every valid one. " +
                "Invalid events are rejected with a reason and the others still land. " +
                "429 with Retry-After means the key (or address) is over its events-per-second limit, and nothing was stored. " +
                "503 with Retry-After means Kafka did not acknowledge, or the collector is at capacity: retry the events not accepted, with the same event_id values.")
            .Accepts<IngestEvent[]>("application/json", "text/plain")
            .RequireCors(ApiExtensions.BrowserGamesPolicy)
            .RequireRateLimiting(ApiExtensions.IngestConcurrencyPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    internal static async Task<Results<Accepted<IngestResponse>, ProblemHttpResult>> IngestAsync(
        HttpContext context,
        EventFactory factory,
        WriteKeys keys,
        EventRateLimiter rateLimiter,
        EventPublisher publisher,
        IOptions<CollectorOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // CORS only keeps a browser from reading the answer: a page of another origin must not land events either.
        if (context.Request.Headers.Origin is { Count: > 0 } origin && !limits.AllowsOrigin(origin.ToString()))
        {
            return Problems.Forbidden($"The origin {origin} may not send events: add it to Collector:AllowedOrigins.");
        }

        if (!keys.TryIdentify(context.Request, out var appId, out var refusal))
        {
            return Problems.Unauthorized(context, refusal);
        }

        // text/plain is what navigator.sendBeacon sends a string as.
        if (!context.Request.HasJsonContentType() && !IsPlainText(context.Request))
        {
            return Problems.UnsupportedMediaType("Send events as JSON with Content-Type: application/json (or text/plain, as sendBeacon does).");
        }

        var read = await JsonRequestBody.ReadAsync(context.Request, limits.MaxBodyBytes, cancellationToken);
        if (read.IsTooLarge)
        {
            return Problems.TooLarge($"The body is larger than {limits.MaxBodyBytes} bytes. Send fewer events per request.");
        }

        if (read.Body is null)
        {
            return Problems.BadRequest(read.Error!);
        }

        EventResult[] results;
        List<OutgoingEvent> valid;
        List<int> validIndexes;
        // Every event is serialised before any is produced, and the body is freed before the wait for Kafka.
        using (var body = read.Body)
        {
            var root = body.Root;
            var isBatch = root.ValueKind == JsonValueKind.Array;
            var count = isBatch ? root.GetArrayLength() : 1;
            if (isBatch && count == 0)
            {
                return Problems.BadRequest("The batch is empty: send at least one event.");
            }

            if (count > limits.MaxBatchEvents)
            {
                return Problems.TooLarge($"The batch has {count} events; at most {limits.MaxBatchEvents} are accepted per request.");
            }

            if (!rateLimiter.TryTake(context, appId, count, out var retryAfter))
            {
                return Problems.TooManyRequests(context, retryAfter, RateLimitDetail(appId, count, limits));
            }

            var request = RequestMetadata.From(context.Request, limits, clock, appId);
            results = new EventResult[count];
            valid = new List<OutgoingEvent>(count);
            validIndexes = new List<int>(count);
            var index = 0;
            foreach (var element in isBatch ? root.EnumerateArray() : Single(root))
            {
                if (factory.TryCreate(element, request, out var outgoing, out var reason))
                {
                    valid.Add(outgoing);
                    validIndexes.Add(index);
                }
                else
                {
                    results[index] = new EventResult(index, EventStatus.Rejected, null, reason);
                }

                index++;
            }

            if (valid.Count == 0)
            {
                return isBatch
                    ? Problems.BadRequest("No event in the batch is valid; see results.", new Dictionary<string, object?> { ["results"] = results })
                    : Problems.BadRequest(results[0].Reason!, new Dictionary<string, object?> { ["allowed_event_types"] = factory.Catalog.Names });
            }
        }

        var published = await publisher.PublishAsync(valid, cancellationToken);
        for (var i = 0; i < valid.Count; i++)
        {
            var error = published.ErrorAt(i);
            results[validIndexes[i]] = error is null
                ? new EventResult(validIndexes[i], EventStatus.Accepted, valid[i].EventId, null)
                : new EventResult(validIndexes[i], EventStatus.Failed, valid[i].EventId, $"Kafka did not acknowledge the event: {error.Reason}");
        }

        if (!published.AllPersisted)
        {
            return Problems.Unavailable(
                context,
                limits.RetryAfter,
                $"Kafka did not acknowledge {published.FailedCount} of {valid.Count} valid events ({published.FirstError?.Reason}). Retry them with the same event_id.",
                new Dictionary<string, object?> { ["results"] = results });
        }

        return TypedResults.Accepted((string?)null, new IngestResponse(valid.Count, results.Length - valid.Count, results));
    }

    internal static string RateLimitDetail(string? appId, int events, CollectorOptions limits) =>
        $"{(appId is null ? "This address" : $"The key of {appId}")} may send {limits.RateLimit.EventsPerSecond} events per second " +
        $"(bursts of {limits.RateLimit.Burst}); these {events} would exceed it. Nothing was stored: retry after Retry-After.";

    private static bool IsPlainText(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<JsonElement> Single(JsonElement element)
    {
        yield return element;
    }
}
