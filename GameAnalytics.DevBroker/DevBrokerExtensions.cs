using GameAnalytics.DevBroker.Broker;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class DevBrokerExtensions
{
    public static IHostApplicationBuilder AddDevBroker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DevBrokerOptions>()
            .BindConfiguration(DevBrokerOptions.SectionName)
            .Validate(options => options.Port is >= 0 and <= 65535, "DevBroker:Port must be between 0 and 65535.")
            .Validate(options => options.Topics.Values.All(partitions => partitions > 0), "DevBroker:Topics: partition counts must be positive.")
            .Validate(options => options.DrainTimeout >= TimeSpan.Zero, "DevBroker:DrainTimeout must not be negative.")
            .Validate(options => options.TrimInterval >= TimeSpan.Zero, "DevBroker:TrimInterval must not be negative.")
            .Validate(options => options.GuardInterval >= TimeSpan.Zero, "DevBroker:GuardInterval must not be negative.")
            .Validate(options => options.HoldLimit is > 0 and <= 4 * 1024 * 1024, "DevBroker:HoldLimit must be positive and at most 4 MiB (librdkafka's mock evicts at 5 MiB).")
            .ValidateOnStart();

        // The host must let a stop wait as long as the drain may take.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<DevBrokerOptions>>((host, broker) =>
            host.ShutdownTimeout = broker.Value.DrainTimeout + TimeSpan.FromSeconds(15));

        builder.Services.AddSingleton<DevBrokerService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DevBrokerService>());
        builder.Services.AddHostedService<LandedRecordsTrimmer>();
        builder.Services.AddHostedService<UnlandedRecordsGuard>();
        builder.Services.AddHealthChecks().AddCheck<DevBrokerHealthCheck>("dev-broker");
        return builder;
    }
}
