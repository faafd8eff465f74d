using GameAnalytics.DevBroker.Broker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The dev broker with its hosted services (drain, trimmer, guard), in the test process on a free port.</summary>
public static class DevBrokerHost
{
    /// <param name="group">The stream processor's group, whose landing the broker drains, trims and guards.</param>
    public static IHost Build(string group, int partitions, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DevBroker:Port"] = "0",
            ["DevBroker:Topics:events"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DevBroker:DrainGroup"] = group,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDevBroker();
        return builder.Build();
    }

    public static DevKafkaBroker Broker(this IHost host) =>
        host.Services.GetRequiredService<DevBrokerService>().Broker ?? throw new InvalidOperationException("The dev broker has not started.");
}
