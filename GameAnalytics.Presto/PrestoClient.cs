using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace GameAnalytics.Presto;

/// <summary>
/// Runs SQL on a Presto (or Trino) server: posts the statement, follows <c>nextUri</c> page by page and yields
/// rows as they come, without holding the whole result. Cancelling the enumeration cancels the query on the server.
/// </summary>
public sealed class PrestoClient(HttpClient http, PrestoClientOptions options)
{
    public PrestoClientOptions Options => options;

    /// <summary>
    /// Starts one query when enumerated; its rows stream as pages arrive, and <see cref="PrestoQuery.Columns"/>
    /// names them once the server has said.
    /// </summary>
    public PrestoQuery Query(string sql) => new(this, sql);

    /// <summary>Runs a query and gathers its rows: for small results.</summary>
    /// <exception cref="PrestoQueryException">The server failed the query.</exception>
    public async Task<(IReadOnlyList<PrestoColumn> Columns, IReadOnlyList<PrestoRow> Rows)> QueryAllAsync(string sql, CancellationToken cancellationToken = default)
    {
        var query = Query(sql);
        var rows = new List<PrestoRow>();
        await foreach (var row in query.WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }

        return (query.Columns, rows);
    }

    internal async IAsyncEnumerable<PrestoRow> RunAsync(string sql, PrestoQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? nextUri = null;
        try
        {
            do
            {
                var page = nextUri;
                using var response = await SendAsync(() => page is null ? Statement(sql) : WithCredentials(new HttpRequestMessage(HttpMethod.Get, page)), cancellationToken);
                var root = response.RootElement;
                query.Id = root.GetProperty("id").GetString() ?? "";
                if (root.TryGetProperty("error", out var error))
                {
                    throw ToException(error, query.Id);
                }

                if (query.Columns.Count == 0 && root.TryGetProperty("columns", out var columns))
                {
                    query.Columns = columns.EnumerateArray()
                        .Select(column => new PrestoColumn(column.GetProperty("name").GetString()!, column.GetProperty("type").GetString()!))
                        .ToList();
                }

                // Known before the rows are handed out, so that a caller who stops reading cancels the right page.
                nextUri = root.TryGetProperty("nextUri", out var next) ? new Uri(next.GetString()!) : null;
                if (root.TryGetProperty("data", out var data))
                {
                    foreach (var row in data.EnumerateArray())
                    {
                        yield return new PrestoRow(query.Columns, row.Clone());
                    }
                }
            }
            while (nextUri is not null);
        }
        finally
        {
            // Stopped early (cancelled, failed, or the caller stopped reading): free the query on the server.
            if (nextUri is not null)
            {
                await CancelAsync(nextUri);
            }
        }
    }

    private HttpRequestMessage Statement(string sql)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Server, "/v1/statement"))
        {
            Content = new StringContent(sql, Encoding.UTF8, "text/plain"),
        };
        var prefix = options.Dialect == PrestoDialect.Trino ? "X-Trino-" : "X-Presto-";
        request.Headers.Add(prefix + "User", options.User);
        request.Headers.Add(prefix + "Catalog", options.Catalog);
        request.Headers.Add(prefix + "Schema", options.Schema);
        request.Headers.Add(prefix + "Source", options.Source);
        return WithCredentials(request);
    }

    /// <summary>The password, as HTTP Basic, on every request of a query; as Presto's and Trino's clients do, only over HTTPS.</summary>
    private HttpRequestMessage WithCredentials(HttpRequestMessage request)
    {
        if (options.Password is { } password)
        {
            if (request.RequestUri?.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException($"A password is sent only over HTTPS, and {request.RequestUri} is not.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{password}")));
        }

        return request;
    }

    /// <summary>Sends a request, trying again while the server answers 503, with growing pauses.</summary>
    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var delay = options.FirstRetryDelay;
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < options.MaxRetries)
            {
                await Task.Delay(RetryDelay(response.Headers.RetryAfter, delay), cancellationToken);
                delay *= 2;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException($"{options.Server} answered {(int)response.StatusCode} {response.ReasonPhrase}: {text}", null, response.StatusCode);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
    }

    private static TimeSpan RetryDelay(RetryConditionHeaderValue? retryAfter, TimeSpan backoff) =>
        retryAfter?.Delta is { } delta && delta > backoff ? delta : backoff;

    private async Task CancelAsync(Uri nextUri)
    {
        try
        {
            using var request = WithCredentials(new HttpRequestMessage(HttpMethod.Delete, nextUri));
            using var response = await http.SendAsync(request, CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            // Best effort: the server also forgets abandoned queries.
        }
    }

    private static PrestoQueryException ToException(JsonElement error, string queryId)
    {
        int? line = null, column = null;
        if (error.TryGetProperty("errorLocation", out var location))
        {
            line = location.GetProperty("lineNumber").GetInt32();
            column = location.GetProperty("columnNumber").GetInt32();
        }

        return new PrestoQueryException(
            error.GetProperty("message").GetString() ?? "",
            error.GetProperty("errorName").GetString() ?? "",
            error.GetProperty("errorCode").GetInt32(),
            error.GetProperty("errorType").GetString() ?? "",
            line,
            column,
            queryId);
    }
}
