var builder = DistributedApplication.CreateBuilder(args);
builder.UseServiceTraceSampling();

switch (builder.Configuration["Topology"] ?? Topologies.Embedded)
{
    case var topology when topology.Equals(Topologies.Embedded, StringComparison.OrdinalIgnoreCase):
        builder.AddEmbeddedTopology(builder.AddDataDirectory());
        break;
    case var topology when topology.Equals(Topologies.Containers, StringComparison.OrdinalIgnoreCase):
        builder.AddContainersTopology();
        break;
    case var topology:
        throw new ArgumentException($"Unknown topology '{topology}'. Use --Topology={Topologies.Embedded} (the default) or --Topology={Topologies.Containers}.");
}

builder.Build().Run();
