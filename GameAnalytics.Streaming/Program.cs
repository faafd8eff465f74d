var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddStreaming();

var host = builder.Build();
host.Run();
