using GameAnalytics.Api.Apis;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEventCollector();
builder.AddEventPublisher();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UseRateLimiter();

app.MapOpenApi();
app.MapScalarApiReference();

app.MapGameApi();
app.MapEventsApi();
app.MapDefaultEndpoints();

app.Run();
