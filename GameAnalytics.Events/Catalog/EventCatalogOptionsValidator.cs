using Microsoft.Extensions.Options;

namespace GameAnalytics.Events.Catalog;

/// <summary>Fails start-up, naming the offenders, when a configured event type name is invalid.</summary>
internal sealed class EventCatalogOptionsValidator : IValidateOptions<EventCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, EventCatalogOptions options)
    {
        var invalid = options.Types.Keys.Where(type => !EventCatalog.IsValidName(type)).ToArray();
        return invalid.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{EventCatalogOptions.SectionName}:Types: event type names must be lower snake case (a-z, 0-9, _; starting with a letter) " +
                $"and at most {EventCatalog.MaxNameLength} characters: {string.Join(", ", invalid.Select(type => $"'{type}'"))}");
    }
}
