using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The Presto protocol by hand: POST the statement, follow nextUri, gather every page.</summary>
public static class PrestoHttp
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string sql, string user = "tests")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/statement") { Content = new StringContent(sql, Encoding.UTF8, "text/plain") };
        request.Headers.Add("X-Presto-User", user);
        request.Headers.Add("X-Presto-Catalog", "hive");
        request.Headers.Add("X-Presto-Schema", "default");
        request.Headers.Add("X-Presto-Source", "tests");
        return await client.SendAsync(request);
    }

    /// <summary>All the responses of one query, the last one without nextUri.</summary>
    public static async Task<List<JsonElement>> RunAsync(HttpClient client, string sql)
    {
        using var first = await PostAsync(client, sql);
        first.EnsureSuccessStatusCode();
        var responses = new List<JsonElement> { await first.Content.ReadFromJsonAsync<JsonElement>() };
        while (responses[^1].TryGetProperty("nextUri", out var next))
        {
            responses.Add(await client.GetFromJsonAsync<JsonElement>(next.GetString()));
            if (responses.Count > 10_000)
            {
                Assert.Fail("The query never finished.");
            }
        }

        return responses;
    }

    public static List<JsonElement> Rows(IEnumerable<JsonElement> responses) =>
        responses.Where(response => response.TryGetProperty("data", out _))
            .SelectMany(response => response.GetProperty("data").EnumerateArray())
            .ToList();

    public static JsonElement Single(IReadOnlyList<JsonElement> responses)
    {
        var rows = Rows(responses);
        return rows.Count == 1 ? rows[0][0] : throw new Xunit.Sdk.XunitException($"Expected one row; the query's last answer was {responses[^1]}");
    }
}
