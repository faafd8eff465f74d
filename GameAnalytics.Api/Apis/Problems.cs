using Microsoft.AspNetCore.Http.HttpResults;

namespace GameAnalytics.Api.Apis;

/// <summary>The collector's error answers, as RFC 9457 problem details.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid", extensions: extensions);

    public static ProblemHttpResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"GameAnalytics\"";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "A valid write key is required");
    }

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "The request is not allowed");

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large");

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type");

    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string detail)
    {
        SetRetryAfter(context, retryAfter);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many events");
    }

    /// <summary>Kafka did not acknowledge: nothing may be answered 2xx, and the client should retry.</summary>
    public static ProblemHttpResult Unavailable(HttpContext context, TimeSpan retryAfter, string detail, IDictionary<string, object?>? extensions = null)
    {
        SetRetryAfter(context, retryAfter);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Events could not be stored", extensions: extensions);
    }

    /// <summary>Whole seconds, at least one: what RFC 9110 allows and clients parse.</summary>
    public static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
