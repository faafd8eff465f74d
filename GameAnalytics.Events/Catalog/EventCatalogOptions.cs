namespace GameAnalytics.Events.Catalog;

/// <summary>
/// The event types a game declares, bound from the <c>EventCatalog</c> configuration section.
/// A game adds a type with configuration alone, e.g. <c>EventCatalog__Types__open_chest="A player opens a chest"</c>.
/// </summary>
public sealed class EventCatalogOptions
{
    public const string SectionName = "EventCatalog";

    /// <summary>Event type name to a description. Configured types are added to the built-in ones.</summary>
    public Dictionary<string, string> Types { get; set; } = new(StringComparer.Ordinal);
}
