var builder = DistributedApplication.CreateBuilder(args);

var dataDirectory = builder.AddDataDirectory();

switch (builder.Configuration["Topology"] ?? Topologies.Embedded)
{
    case var topology when topology.Equals(Topologies.Embedded, StringComparison.OrdinalIgnoreCase):
        builder.AddEmbeddedTopology(dataDirectory);
        break;
    case var topology:
        throw new ArgumentException($"Unknown topology '{topology}'. Use --Topology={Topologies.Embedded}.");
}

builder.Build().Run();
