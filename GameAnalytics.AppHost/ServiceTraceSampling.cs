namespace Aspire.Hosting;

internal static class ServiceTraceSampling
{
    /// <summary>
    /// Leaves trace sampling to the services (<c>Telemetry:NewTracesPerSecond</c>, every request at low rates, failures
    /// always). Aspire's run sets <c>OTEL_TRACES_SAMPLER=always_on</c>, a trace per request: under load the dashboard
    /// then spends as much CPU ingesting traces as the collector spends serving the requests.
    /// </summary>
    public static IDistributedApplicationBuilder UseServiceTraceSampling(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            // Environment callbacks run in the order added: this one after Aspire's own, added with each project.
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables.Remove("OTEL_TRACES_SAMPLER")));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
