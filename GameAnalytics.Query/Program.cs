using GameAnalytics.Query.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLakeQueries();

var app = builder.Build();

app.MapStatementApi();
app.MapDefaultEndpoints();

app.Run();
