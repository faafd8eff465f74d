using GameAnalytics.DevBroker.Broker;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>The dev broker's own code, hosted in the test process on a free port; clients reach it over TCP.</summary>
public sealed class DevBrokerFixture : IAsyncLifetime
{
    public const int EventsPartitions = 12;

    private DevKafkaBroker? _broker;

    public DevKafkaBroker Broker => _broker ?? throw new InvalidOperationException("The broker has not started.");

    public string BootstrapServers => Broker.BootstrapServers;

    public Task InitializeAsync()
    {
        _broker = DevKafkaBroker.Start(new DevBrokerOptions { Port = 0, Topics = new() { ["events"] = EventsPartitions } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<DevBrokerFixture>
{
    public const string Name = "Kafka";
}

/// <summary>
/// Tests of trace sampling, alone: every tracer provider in the process sees every ASP.NET Core span, so another
/// test's requests would spend the sampler's budget and land in the exporter under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection : ICollectionFixture<DevBrokerFixture>
{
    public const string Name = "Tracing";
}
