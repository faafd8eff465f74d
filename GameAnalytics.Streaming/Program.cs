var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddEventCatalog();

var host = builder.Build();
host.Run();
