using GameAnalytics.Events.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Tests.Events;

public sealed class EventCatalogTests
{
    [Fact]
    public void By_default_holds_the_five_types_of_the_original_game()
    {
        var catalog = BuildCatalog([]);

        Assert.Equal(["catch_butterfly", "default", "join_guild", "purchase_sword", "slay_dragon"], catalog.Names);
    }

    [Fact]
    public void A_game_adds_types_through_configuration_alone()
    {
        var catalog = BuildCatalog(new() { ["EventCatalog:Types:open_chest"] = "A player opens a chest" });

        Assert.True(catalog.Contains("open_chest"));
        Assert.True(catalog.Contains("purchase_sword"));
        Assert.False(catalog.Contains("Open_Chest"));
    }

    [Theory]
    [InlineData("OpenChest")]
    [InlineData("open-chest")]
    [InlineData("9lives")]
    [InlineData("_private")]
    [InlineData("a_name_that_goes_on_and_on_past_the_limit_of_sixty_four_characters")]
    public void Start_up_fails_naming_an_invalid_type(string name)
    {
        var error = Assert.Throws<OptionsValidationException>(() => BuildCatalog(new() { [$"EventCatalog:Types:{name}"] = "bad" }, validate: true));

        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("lower snake case", error.Message);
    }

    [Theory]
    [InlineData("slay_dragon", true)]
    [InlineData("level2_complete", true)]
    [InlineData("a", true)]
    [InlineData("Slay_dragon", false)]
    [InlineData("slay dragon", false)]
    [InlineData("slay_dragón", false)]
    public void Names_are_lower_snake_case(string name, bool valid) =>
        Assert.Equal(valid, EventCatalog.IsValidName(name));

    [Fact]
    public void Names_are_at_most_64_characters()
    {
        Assert.True(EventCatalog.IsValidName(new string('a', 64)));
        Assert.False(EventCatalog.IsValidName(new string('a', 65)));
    }

    private static EventCatalog BuildCatalog(Dictionary<string, string?> settings, bool validate = false)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEventCatalog();
        using var services = builder.Services.BuildServiceProvider();
        if (validate)
        {
            // What ValidateOnStart runs when the host starts.
            _ = services.GetRequiredService<IOptions<EventCatalogOptions>>().Value;
        }

        return services.GetRequiredService<EventCatalog>();
    }
}
