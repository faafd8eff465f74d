using GameAnalytics.Events.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class EventsExtensions
{
    /// <summary>Binds <see cref="EventCatalogOptions"/>, validates it at start-up and registers the <see cref="EventCatalog"/>.</summary>
    public static IHostApplicationBuilder AddEventCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventCatalogOptions>()
            .BindConfiguration(EventCatalogOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventCatalogOptions>, EventCatalogOptionsValidator>());
        builder.Services.TryAddSingleton(services => EventCatalog.FromOptions(services.GetRequiredService<IOptions<EventCatalogOptions>>().Value));
        return builder;
    }
}
