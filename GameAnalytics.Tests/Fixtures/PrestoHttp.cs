using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The Presto protocol by hand: POST the statement, follow nextUri, gather every answer.</summary>
public static class PrestoHttp
{
    /// <summary>Presto's headers for user <c>tests</c> in hive.default; <paramref name="headers"/> adds to them or, in Trino's family, replaces them.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string sql, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/statement") { Content = new StringContent(sql, Encoding.UTF8, "text/plain") };
        var family = headers?.Keys.Any(name => name.StartsWith("X-Trino-", StringComparison.OrdinalIgnoreCase)) == true ? "Trino" : "Presto";
        request.Headers.Add($"X-{family}-User", "tests");
        request.Headers.Add($"X-{family}-Catalog", "hive");
        request.Headers.Add($"X-{family}-Schema", "default");
        request.Headers.Add($"X-{family}-Source", "tests");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Remove(name);
            request.Headers.Add(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A request to <c>/v1/query/{id}</c> as the query's own user, <c>tests</c>, makes it.</summary>
    public static HttpRequestMessage QueryInfo(HttpMethod method, string queryId, string user = "tests") =>
        new(method, $"/v1/query/{queryId}") { Headers = { { "X-Presto-User", user } } };

    /// <summary>All the answers of one query, the last one without nextUri.</summary>
    public static async Task<List<JsonElement>> RunAsync(HttpClient client, string sql, IReadOnlyDictionary<string, string>? headers = null) =>
        (await ExchangeAsync(client, sql, headers)).Answers;

    /// <summary>All the answers of one query, and the HTTP headers of each.</summary>
    public static async Task<(List<JsonElement> Answers, List<HttpResponseHeaders> Headers)> ExchangeAsync(
        HttpClient client, string sql, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var first = await PostAsync(client, sql, headers);
        first.EnsureSuccessStatusCode();
        var answers = new List<JsonElement> { await first.Content.ReadFromJsonAsync<JsonElement>() };
        var responseHeaders = new List<HttpResponseHeaders> { first.Headers };
        while (answers[^1].TryGetProperty("nextUri", out var next))
        {
            using var response = await client.GetAsync(next.GetString());
            response.EnsureSuccessStatusCode();
            answers.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
            responseHeaders.Add(response.Headers);
            if (answers.Count > 10_000)
            {
                Assert.Fail("The query never finished.");
            }
        }

        return (answers, responseHeaders);
    }

    public static List<JsonElement> Rows(IEnumerable<JsonElement> answers) =>
        answers.Where(answer => answer.TryGetProperty("data", out _))
            .SelectMany(answer => answer.GetProperty("data").EnumerateArray())
            .ToList();

    public static JsonElement Single(IReadOnlyList<JsonElement> answers)
    {
        var rows = Rows(answers);
        return rows.Count == 1 ? rows[0][0] : throw new Xunit.Sdk.XunitException($"Expected one row; the query's last answer was {answers[^1]}");
    }

    /// <summary>The column names of a query's last answer.</summary>
    public static List<string> ColumnNames(IReadOnlyList<JsonElement> answers) =>
        answers[^1].GetProperty("columns").EnumerateArray().Select(column => column.GetProperty("name").GetString()!).ToList();

    /// <summary>Every row as strings, for comparing whole answers.</summary>
    public static List<string> RowTexts(IReadOnlyList<JsonElement> answers) =>
        Rows(answers).Select(row => string.Join("|", row.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.Null ? "null" : value.ToString()))).ToList();
}
