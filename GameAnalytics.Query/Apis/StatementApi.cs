using GameAnalytics.Query.Engine;
using GameAnalytics.Query.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GameAnalytics.Query.Apis;

/// <summary>
/// Presto's client REST protocol: POST the SQL to <c>/v1/statement</c>, then follow <c>nextUri</c> until it is
/// absent; DELETE on <c>nextUri</c> cancels. Existing Presto clients and drivers work against it unchanged.
/// </summary>
public static class StatementApi
{
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapStatementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/statement").WithTags("Presto protocol");
        api.MapPost("", SubmitAsync).WithSummary("Run one SQL statement");
        api.MapGet("/executing/{queryId}/{token:long}", NextAsync).WithSummary("The next page of a query's results");
        api.MapDelete("/executing/{queryId}/{token:long}", Cancel).WithSummary("Cancel a query");
        app.MapGet("/v1/query/{queryId}", Info).WithTags("Presto protocol");
        return app;
    }

    internal static async Task<Results<Ok<QueryResults>, BadRequest<string>>> SubmitAsync(HttpContext context, QueryManager queries, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(context.Request.Headers["X-Presto-User"]) && string.IsNullOrWhiteSpace(context.Request.Headers["X-Trino-User"]))
        {
            // As Presto answers: a plain-text 400.
            return TypedResults.BadRequest("User must be set (X-Presto-User header)");
        }

        using var body = new StreamReader(context.Request.Body);
        var sql = await body.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(sql))
        {
            return TypedResults.BadRequest("SQL statement is empty");
        }

        var execution = queries.Start(sql);
        var tracked = queries.Find(execution.Id)!;
        return TypedResults.Ok(await AnswerAsync(context, tracked, cancellationToken));
    }

    internal static async Task<Results<Ok<QueryResults>, NotFound, StatusCodeHttpResult>> NextAsync(
        HttpContext context, string queryId, long token, QueryManager queries, CancellationToken cancellationToken)
    {
        if (queries.Find(queryId) is not { } tracked)
        {
            return TypedResults.NotFound();
        }

        await tracked.Lock.WaitAsync(cancellationToken);
        try
        {
            // A retried request gets the same answer again; any other stale token is gone.
            if (token == tracked.NextToken - 1 && tracked.LastAnswer is QueryResults repeat)
            {
                return TypedResults.Ok(repeat);
            }

            if (token != tracked.NextToken)
            {
                return TypedResults.StatusCode(StatusCodes.Status410Gone);
            }
        }
        finally
        {
            tracked.Lock.Release();
        }

        return TypedResults.Ok(await AnswerAsync(context, tracked, cancellationToken));
    }

    internal static NoContent Cancel(string queryId, long token, QueryManager queries)
    {
        queries.Cancel(queryId);
        return TypedResults.NoContent();
    }

    internal static Results<Ok<object>, NotFound> Info(string queryId, QueryManager queries) =>
        queries.Find(queryId) is { } tracked
            ? TypedResults.Ok<object>(new { queryId, state = tracked.Execution.State, elapsedTimeMillis = (long)tracked.Execution.Elapsed.TotalMilliseconds })
            : TypedResults.NotFound();

    /// <summary>Waits briefly for the next page, then answers with it, or with the query's state so far.</summary>
    private static async Task<QueryResults> AnswerAsync(HttpContext context, TrackedQuery tracked, CancellationToken cancellationToken)
    {
        await tracked.Lock.WaitAsync(cancellationToken);
        try
        {
            var execution = tracked.Execution;
            List<object?[]>? page = null;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(PageWait);
                try
                {
                    if (await execution.Pages.WaitToReadAsync(wait.Token))
                    {
                        execution.Pages.TryRead(out page);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }

            var done = execution.Pages.Completion.IsCompleted;
            var token = tracked.NextToken++;
            var baseUri = new Uri($"{context.Request.Scheme}://{context.Request.Host}");
            var next = done ? null : new Uri(baseUri, $"/v1/statement/executing/{execution.Id}/{token + 1}");
            var answer = new QueryResults(
                execution.Id,
                new Uri(baseUri, $"/v1/query/{execution.Id}"),
                null,
                next,
                execution.Failure is null ? execution.Columns : null,
                page,
                Stats(execution),
                execution.Failure is { } failure ? ToError(failure) : null,
                []);
            tracked.LastAnswer = answer;
            return answer;
        }
        finally
        {
            tracked.Lock.Release();
        }
    }

    private static StatementStats Stats(QueryExecution execution)
    {
        var elapsed = (long)execution.Elapsed.TotalMilliseconds;
        var finished = execution.State is "FINISHED" or "FAILED";
        return new StatementStats(execution.State, execution.State == "QUEUED", execution.State != "QUEUED", 1, 1, 0, finished ? 0 : 1, finished ? 1 : 0,
            elapsed, elapsed, 0, elapsed, execution.Rows, 0, 0);
    }

    private static QueryError ToError(QueryException failure)
    {
        var location = failure.Line is { } line && failure.Column is { } column ? new ErrorLocation(line, column) : null;
        return new QueryError(failure.Message, failure.Error.Code, failure.Error.Name, failure.Error.Type, location,
            new FailureInfo(failure.Error.Type == "INTERNAL_ERROR" ? "java.lang.RuntimeException" : "com.facebook.presto.spi.PrestoException", failure.Message, [], location));
    }
}
