using System.Net;
using GameAnalytics.Query.Engine;
using GameAnalytics.Query.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Apis;

/// <summary>
/// Presto's client REST protocol, as a coordinator speaks it: the POST of the SQL answers QUEUED with a
/// <c>nextUri</c> and nothing else; the GETs of each <c>nextUri</c> bring the columns, the data in pages and the
/// stats, until an answer has no <c>nextUri</c>. DELETE cancels. Presto and Trino clients work unchanged.
/// </summary>
public static class StatementApi
{
    // As a coordinator does, a GET waits at most this long for the next page before it answers with the state so far.
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapStatementApi(this IEndpointRouteBuilder app)
    {
        var statement = app.MapGroup("/v1/statement").WithTags("Presto protocol").RequireAuthorization(QueryExtensions.ReaderPolicy);
        statement.MapPost("", SubmitAsync).WithSummary("Run one SQL statement");
        statement.MapGet("/{phase:regex(^(queued|executing)$)}/{queryId}/{slug}/{token:long}", NextAsync).WithSummary("The next answer of a query");
        statement.MapDelete("/{phase:regex(^(queued|executing)$)}/{queryId}/{slug}/{token:long}", CancelStatement).WithSummary("Cancel a query");

        var query = app.MapGroup("/v1/query").WithTags("Presto protocol").RequireAuthorization(QueryExtensions.ReaderPolicy);
        query.MapGet("/{queryId}", Info).WithSummary("A query's state");
        query.MapDelete("/{queryId}", Kill).WithSummary("Cancel a query");

        app.MapGet("/v1/info", Server).WithTags("Presto protocol").WithSummary("The server's version, as drivers read it");
        return app;
    }

    internal static async Task<Results<Ok<QueryResults>, ContentHttpResult>> SubmitAsync(
        HttpContext context, QueryManager queries, IOptions<QueryOptions> options, CancellationToken cancellationToken)
    {
        var authenticated = Authenticated(context);
        if (ClientSession.FromHeaders(context.Request.Headers, authenticated) is not { } client)
        {
            // As Presto answers: a plain-text 400.
            return TypedResults.Text("User must be set (X-Presto-User or X-Trino-User header)", statusCode: StatusCodes.Status400BadRequest);
        }

        if (authenticated is not null && client.User != authenticated)
        {
            return TypedResults.Text($"Access Denied: User {authenticated} cannot impersonate user {client.User}", statusCode: StatusCodes.Status403Forbidden);
        }

        // Past the limit the query is refused: the rest of a huge body is never read.
        using var body = new StreamReader(context.Request.Body);
        var text = new System.Text.StringBuilder();
        var chunk = new char[4096];
        int read;
        while (text.Length <= options.Value.MaxSqlLength && (read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            text.Append(chunk, 0, read);
        }

        var sql = text.ToString();
        if (string.IsNullOrWhiteSpace(sql))
        {
            return TypedResults.Text("SQL statement is empty", statusCode: StatusCodes.Status400BadRequest);
        }

        var tracked = queries.Start(sql, client);
        var execution = tracked.Execution;
        var answer = new QueryResults(execution.Id, InfoUri(context, execution.Id), null, NextUri(context, tracked, "queued", 1),
            null, null, Stats(execution, QueryState.Queued), null, []);
        tracked.LastAnswer = answer;
        tracked.NextToken = 1;
        return TypedResults.Ok(answer);
    }

    internal static async Task<Results<Ok<QueryResults>, ContentHttpResult>> NextAsync(
        HttpContext context, string queryId, string slug, long token, QueryManager queries, IOptions<QueryOptions> options, CancellationToken cancellationToken)
    {
        if (queries.Find(queryId, slug) is not { } tracked || !IsOwner(context, tracked.Execution))
        {
            return QueryNotFound();
        }

        await tracked.Lock.WaitAsync(cancellationToken);
        try
        {
            if (token == tracked.NextToken - 1 && tracked.LastAnswer is { } repeat)
            {
                // A retried request gets the same answer again.
                AddSessionHeaders(context, tracked.Execution);
                return TypedResults.Ok(repeat);
            }

            if (token < tracked.NextToken)
            {
                return TypedResults.Text("Invalid token: that answer is gone", statusCode: StatusCodes.Status410Gone);
            }

            if (token > tracked.NextToken)
            {
                return QueryNotFound();
            }

            var answer = await NextAnswerAsync(context, tracked, options.Value, cancellationToken);
            tracked.LastAnswer = answer;
            tracked.NextToken++;
            AddSessionHeaders(context, tracked.Execution);
            return TypedResults.Ok(answer);
        }
        finally
        {
            tracked.Lock.Release();
        }
    }

    internal static Results<NoContent, ContentHttpResult> CancelStatement(HttpContext context, string queryId, string slug, QueryManager queries) =>
        queries.Find(queryId, slug) is { } tracked && IsOwner(context, tracked.Execution) && queries.Cancel(queryId) ? TypedResults.NoContent() : QueryNotFound();

    internal static Results<Ok<QueryInfo>, ContentHttpResult> Info(HttpContext context, string queryId, QueryManager queries)
    {
        if (queries.Peek(queryId) is not { Execution: var execution } || !IsUsersOwn(context, execution))
        {
            return TypedResults.Text("Query not found", statusCode: StatusCodes.Status410Gone);
        }

        return TypedResults.Ok(new QueryInfo(execution.Id, execution.State, execution.Sql, execution.Client.User, InfoUri(context, execution.Id),
            (long)execution.Elapsed.TotalMilliseconds, execution.Rows, execution.Failure?.ToQueryError(execution.Client.Dialect)));
    }

    internal static NoContent Kill(HttpContext context, string queryId, QueryManager queries)
    {
        if (queries.Peek(queryId) is { } tracked && IsUsersOwn(context, tracked.Execution))
        {
            queries.Cancel(queryId);
        }

        return TypedResults.NoContent();
    }

    /// <summary>The user whose password the request carried, when passwords are on.</summary>
    private static string? Authenticated(HttpContext context) => context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;

    /// <summary>With passwords on, a query is its own user's; without, the slug in its URIs, which only its client knows, is the key.</summary>
    private static bool IsOwner(HttpContext context, QueryExecution execution) =>
        Authenticated(context) is not { } user || user == execution.Client.User;

    /// <summary>
    /// <c>/v1/query/{id}</c> has no slug, and query ids are not secret: only the query's user may see or cancel it,
    /// by password, or without passwords by the user header (as Presto trusts it then).
    /// </summary>
    private static bool IsUsersOwn(HttpContext context, QueryExecution execution) =>
        (Authenticated(context) ?? ClientSession.FromHeaders(context.Request.Headers)?.User) == execution.Client.User;

    internal static Ok<ServerInfo> Server() =>
        TypedResults.Ok(new ServerInfo(new NodeVersion(LakeSession.PrestoVersion), "gameanalytics", true, false,
            $"{(DateTime.UtcNow - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalMinutes:0.00}m"));

    /// <summary>Waits briefly for the next page, then answers with it, or with the query's state so far.</summary>
    private static async Task<QueryResults> NextAnswerAsync(HttpContext context, TrackedQuery tracked, QueryOptions options, CancellationToken cancellationToken)
    {
        var execution = tracked.Execution;
        List<object?[]>? page = null;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(PageWait);
            try
            {
                if (await execution.Pages.WaitToReadAsync(wait.Token) && execution.Pages.TryRead(out page) && page.Count < options.PageRows)
                {
                    // A short page is the last: its query is about to finish, and this answer can say so, saving the
                    // client a request. The page is taken: it goes into this answer whatever happens to the wait.
                    try
                    {
                        await execution.Completion.WaitAsync(wait.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        var state = execution.State;
        if (execution.Failure is { } failure)
        {
            return new QueryResults(execution.Id, InfoUri(context, execution.Id), null, null, null, null, Stats(execution, state),
                failure.ToQueryError(execution.Client.Dialect), []);
        }

        var next = state == QueryState.Finished ? null : NextUri(context, tracked, "executing", tracked.NextToken + 1);
        return new QueryResults(execution.Id, InfoUri(context, execution.Id), null, next, execution.Columns, page, Stats(execution, state), null, [],
            execution.UpdateType);
    }

    /// <summary>What a statement changed in the client's session, in the headers a Presto client applies to its next requests.</summary>
    private static void AddSessionHeaders(HttpContext context, QueryExecution execution)
    {
        if (execution is not { State: QueryState.Finished, SessionUpdate: { } update })
        {
            return;
        }

        var headers = context.Response.Headers;
        var client = execution.Client;
        if (update.SetCatalog is { } catalog)
        {
            headers[client.Header("Set-Catalog")] = catalog;
        }

        if (update.SetSchema is { } schema)
        {
            headers[client.Header("Set-Schema")] = schema;
        }

        if (update.SetSession is { } properties)
        {
            headers[client.Header("Set-Session")] = properties.Select(property => $"{property.Key}={WebUtility.UrlEncode(property.Value)}").ToArray();
        }

        if (update.ClearSession is { } cleared)
        {
            headers[client.Header("Clear-Session")] = cleared.ToArray();
        }
    }

    private static StatementStats Stats(QueryExecution execution, QueryState state)
    {
        var elapsed = (long)execution.Elapsed.TotalMilliseconds;
        var queued = state == QueryState.Queued;
        var done = state is QueryState.Finished or QueryState.Failed;
        // One engine runs the whole query as one split. DuckDB reports no CPU time per query: wall time stands in.
        return new StatementStats(state, queued, !queued, 1, 1, queued ? 1 : 0, queued || done ? 0 : 1, done ? 1 : 0,
            elapsed, elapsed, 0, elapsed, execution.Rows, 0, 0, 0, queued ? null : done ? 100 : 0);
    }

    /// <summary>The base of every URI in an answer: the scheme and host the client used, through a proxy too (forwarded headers).</summary>
    private static Uri BaseUri(HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");

    private static Uri InfoUri(HttpContext context, string queryId) => new(BaseUri(context), $"v1/query/{queryId}");

    private static Uri NextUri(HttpContext context, TrackedQuery tracked, string phase, long token) =>
        new(BaseUri(context), $"v1/statement/{phase}/{tracked.Execution.Id}/{tracked.Slug}/{token}");

    private static ContentHttpResult QueryNotFound() => TypedResults.Text("Query not found", statusCode: StatusCodes.Status404NotFound);
}
