using GameAnalytics.Query.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLakeQueries();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

app.MapStatementApi();
app.MapInsightsApi();
app.MapDefaultEndpoints();

app.Run();
