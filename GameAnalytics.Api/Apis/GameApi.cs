using GameAnalytics.Api.Collector;
using GameAnalytics.Api.Kafka;
using GameAnalytics.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Apis;

/// <summary>The original game API's routes: one event per request, the user in the Host header.</summary>
public static class GameApi
{
    public static IEndpointRouteBuilder MapGameApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Game (original routes)");

        foreach (var route in OriginalRoutes.All)
        {
            // One endpoint for both methods; unnamed, so OpenAPI does not repeat an operationId.
            api.MapMethods(route.Path, [HttpMethods.Get, HttpMethods.Post], (HttpContext context, EventFactory factory, WriteKeys keys, EventRateLimiter rateLimiter, EventPublisher publisher, IOptions<CollectorOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
                    RecordAsync(route, context, factory, keys, rateLimiter, publisher, options.Value, clock, cancellationToken))
                .RequireRateLimiting(ApiExtensions.IngestConcurrencyPolicy)
                .WithSummary($"Record a {route.EventType} event for the user named by the Host header")
                .Produces<string>(StatusCodes.Status200OK, "text/html")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status429TooManyRequests)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }

        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> RecordAsync(
        OriginalRoute route,
        HttpContext context,
        EventFactory factory,
        WriteKeys keys,
        EventRateLimiter rateLimiter,
        EventPublisher publisher,
        CollectorOptions options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!keys.TryIdentify(context.Request, out var appId, out var refusal))
        {
            return Problems.Unauthorized(context, refusal);
        }

        if (!rateLimiter.TryTake(context, appId, 1, out var retryAfter))
        {
            return Problems.TooManyRequests(context, retryAfter, EventsApi.RateLimitDetail(appId, 1, options));
        }

        var request = RequestMetadata.From(context.Request, options, clock, appId);
        if (!factory.TryCreate(route.EventType, request, out var outgoing, out var reason))
        {
            return Problems.BadRequest(reason);
        }

        var published = await publisher.PublishAsync([outgoing], cancellationToken);
        return published.AllPersisted
            ? TypedResults.Text(route.Response, "text/html; charset=utf-8")
            : Problems.Unavailable(context, options.RetryAfter, $"Kafka did not acknowledge the event ({published.FirstError?.Reason}). Retry later.");
    }
}
