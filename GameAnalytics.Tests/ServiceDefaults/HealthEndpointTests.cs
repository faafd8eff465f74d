using System.Net;
using System.Text.Json;
using GameAnalytics.Presto;
using GameAnalytics.Query.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GameAnalytics.Tests.ServiceDefaults;

/// <summary>Every service answers /health and /alive in every environment, to probes that carry no credentials.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task In_production_health_answers_its_status_only_and_needs_no_credentials()
    {
        using var factory = QueryService("Production");
        using var http = factory.CreateClient();

        using var health = await http.GetAsync("/health");
        using var alive = await http.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task In_development_health_names_each_check_with_its_reason()
    {
        using var factory = QueryService("Development");
        using var http = factory.CreateClient();

        using var health = await http.GetAsync("/health");
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());

        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        Assert.Contains(report.RootElement.GetProperty("checks").EnumerateArray(), check => check.GetProperty("name").GetString() == "self");
    }

    private static WebApplicationFactory<QueryResults> QueryService(string environment) =>
        new WebApplicationFactory<QueryResults>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("Lake:Root", Path.GetTempPath());
            // Credentials required for queries: the probes still need none.
            builder.UseSetting("Query:Users", $"analyst:{PasswordHash.Create("x", iterations: 1000)}");
        });
}
