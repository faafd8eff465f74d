using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GameAnalytics.Presto;
using GameAnalytics.Query.Protocol;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.Query;

/// <summary>Passwords as Presto's password authenticator takes them: HTTP Basic against <c>Query:Users</c>, each query its user's own.</summary>
public sealed class QueryPasswordTests(PasswordQueryServiceProcess service) : IClassFixture<PasswordQueryServiceProcess>
{
    [Theory]
    [InlineData("presto")]
    [InlineData("trino")]
    public async Task A_node_client_with_a_password_over_https_gets_the_original_answers(string client)
    {
        var answers = await NodeSqlClients.RunAsync(client, service.BaseAddress,
            ["select count(distinct host) * 100 / 3 as percent_users from join_guilds", "select count(*) / count(distinct host) from catch_butterflies", "select count(*) / count(distinct host) from slay_dragons"],
            new ClientCredentials("analyst", PasswordQueryServiceProcess.AnalystPassword, service.CertificatePemFile));

        Assert.All(answers, answer => Assert.Null(answer.Error));
        Assert.Equal(66, answers[0].Rows.Single().Single().GetInt64());
        Assert.Equal((44, 2), (answers[1].Rows.Single().Single().GetInt64(), answers[1].Rows.Single().Single().GetInt64() / answers[2].Rows.Single().Single().GetInt64()));
    }

    [Fact]
    public async Task A_wrong_password_reaches_the_node_client_as_an_error()
    {
        var answers = await NodeSqlClients.RunAsync("trino", service.BaseAddress, ["select 1"],
            new ClientCredentials("analyst", "not-the-password", service.CertificatePemFile));

        Assert.Contains("401", answers.Single().Error);
    }

    [Fact]
    public async Task The_csharp_client_sends_its_password_over_https_only()
    {
        using var http = service.Client();
        var client = new PrestoClient(http, new PrestoClientOptions { Server = service.BaseAddress, User = "analyst", Password = PasswordQueryServiceProcess.AnalystPassword });
        var plain = new PrestoClient(new HttpClient(), new PrestoClientOptions { Server = new Uri("http://127.0.0.1:1"), User = "analyst", Password = "secret" });

        var percent = (await client.QueryAllAsync("select count(distinct host) * 100 / 3 from join_guilds")).Rows.Single().GetInt64(0);

        Assert.Equal(66, percent);
        await Assert.ThrowsAsync<InvalidOperationException>(() => plain.QueryAllAsync("select 1"));
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_a_basic_challenge()
    {
        using var http = service.Client();

        using var anonymous = await PrestoHttp.PostAsync(http, "select 1");
        using var wrong = await Post(http, "select 1", "analyst", "guess");
        using var unknown = await Post(http, "select 1", "mallory", PasswordQueryServiceProcess.AnalystPassword);
        using var insights = await http.GetAsync("/insights/api/summary");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, insights.StatusCode);
    }

    [Fact]
    public async Task A_query_is_its_users_own_and_no_one_may_act_as_another()
    {
        using var http = service.Client();

        using var started = await Post(http, "select event_id from sword_purchases", "analyst", PasswordQueryServiceProcess.AnalystPassword);
        var answer = await started.Content.ReadFromJsonAsync<JsonElement>();
        var next = answer.GetProperty("nextUri").GetString()!;
        using var byAuditor = await Get(http, next, "auditor", PasswordQueryServiceProcess.AuditorPassword);
        using var infoByAuditor = await Get(http, $"/v1/query/{answer.GetProperty("id").GetString()}", "auditor", PasswordQueryServiceProcess.AuditorPassword);
        using var byAnalyst = await Get(http, next, "analyst", PasswordQueryServiceProcess.AnalystPassword);
        using var impersonating = await Post(http, "select 1", "auditor", PasswordQueryServiceProcess.AuditorPassword, headerUser: "analyst");

        Assert.Equal(HttpStatusCode.NotFound, byAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, infoByAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAnalyst.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, impersonating.StatusCode);
    }

    [Fact]
    public async Task Health_checks_need_no_credentials()
    {
        using var factory = new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Lake:Root", Path.GetTempPath());
            builder.UseSetting("Query:Users", $"analyst:{PasswordHash.Create("x", iterations: 1000)}");
        });
        using var http = factory.CreateClient();

        using var health = await http.GetAsync("/health");
        using var statement = await PrestoHttp.PostAsync(http, "select 1");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, statement.StatusCode);
    }

    [Fact]
    public void Password_hashes_are_salted_and_check_only_their_password()
    {
        var first = PasswordHash.Create("swordfish", iterations: 1000);
        var second = PasswordHash.Create("swordfish", iterations: 1000);

        Assert.NotEqual(first, second);
        Assert.StartsWith("pbkdf2-sha256$1000$", first);
        Assert.True(PasswordHash.Verify("swordfish", first));
        Assert.False(PasswordHash.Verify("swordfisH", first));
        Assert.False(PasswordHash.Verify("swordfish", "pbkdf2-sha256$1000$bad"));
        Assert.StartsWith($"pbkdf2-sha256${PasswordHash.DefaultIterations}$", PasswordHash.Create("swordfish"));
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string sql, string user, string password, string? headerUser = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/statement") { Content = new StringContent(sql) };
        request.Headers.Add("X-Presto-User", headerUser ?? user);
        request.Headers.Authorization = Basic(user, password);
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string uri, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = Basic(user, password);
        return http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
