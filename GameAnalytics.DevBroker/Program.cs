var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDevBroker();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
