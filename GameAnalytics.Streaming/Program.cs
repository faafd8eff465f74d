var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddStreaming();

var app = builder.Build();

// Only health endpoints: they tell the AppHost when a partition's data was lost or the consume loop stopped.
app.MapDefaultEndpoints();

app.Run();
