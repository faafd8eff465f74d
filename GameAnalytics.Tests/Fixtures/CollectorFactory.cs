using System.Diagnostics;
using GameAnalytics.Api.Collector;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The real collector in-process, producing to the given bootstrap servers; spans are kept for assertions.</summary>
/// <remarks>
/// The AppHost's Program shares the global namespace with the collector's, so the collector's entry point
/// is named through another of its public types.
/// </remarks>
public sealed class CollectorFactory(
    string bootstrapServers,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<CollectorOptions>
{
    public List<Activity> Spans { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:kafka", bootstrapServers);
        // As the embedded AppHost runs it; the write key and rate limit tests say otherwise.
        builder.UseSetting("Collector:AllowAnonymous", "true");
        builder.UseSetting("Collector:RateLimit:EventsPerSecond", "1000000");
        builder.UseSetting("Collector:RateLimit:Burst", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            configureServices?.Invoke(services);
        });
    }
}
