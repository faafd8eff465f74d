using GameAnalytics.Cli;
using GameAnalytics.Cli.Simulation;
using Spectre.Console.Testing;

namespace GameAnalytics.Tests.Cli;

/// <summary>The --mix parser: weights by behaviour, and a message that says what to type when the input is wrong.</summary>
public sealed class BehaviourMixTests
{
    [Fact]
    public void Parses_route_names_and_event_types_with_spaces_and_decimals()
    {
        Assert.True(BehaviourMix.TryParse("purchase_a_sword=2, join_guild = 1,slay_dragon=0.5,catch_a_butterfly=2", out var mix, out var error), error);

        Assert.Equal(
            [("purchase_a_sword", 2.0), ("join_guild", 1.0), ("slay_a_dragon", 0.5), ("catch_a_butterfly", 2.0)],
            mix!.Weights.Select(w => (w.Behaviour.Name, w.Weight)));
    }

    [Fact]
    public void A_zero_weight_leaves_the_behaviour_out()
    {
        Assert.True(BehaviourMix.TryParse("purchase_a_sword=1,join_guild=0", out var mix, out _));

        Assert.Equal([Behaviour.PurchaseSword], mix!.Weights.Select(w => w.Behaviour));
        Assert.Equal(Behaviour.PurchaseSword, mix.Pick(0.999));
    }

    [Theory]
    [InlineData("", "--mix is empty")]
    [InlineData("  ", "--mix is empty")]
    [InlineData("purchase_a_sword", "'purchase_a_sword' in --mix has no weight: write behaviour=weight")]
    [InlineData("summon_demon=1", "Unknown behaviour 'summon_demon' in --mix. Known behaviours: purchase_a_sword, join_guild, slay_a_dragon, catch_a_butterfly, default.")]
    [InlineData("join_guild=lots", "The weight 'lots' of join_guild in --mix is not a number")]
    [InlineData("join_guild=", "The weight '' of join_guild in --mix is not a number")]
    [InlineData("join_guild=NaN", "is not a number")]
    [InlineData("join_guild=-1", "The weight of join_guild in --mix is -1: weights must be zero or more.")]
    [InlineData("join_guild=1,join_guild=2", "join_guild appears more than once in --mix")]
    [InlineData("join_guild=1,,slay_a_dragon=1", "has an empty entry")]
    [InlineData("join_guild=1,", "has an empty entry")]
    [InlineData("join_guild=0,slay_a_dragon=0", "Every weight in --mix is 0")]
    public void Bad_input_is_refused_with_a_clear_message(string text, string message)
    {
        Assert.False(BehaviourMix.TryParse(text, out var mix, out var error));

        Assert.Null(mix);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task The_command_line_reports_a_bad_mix_and_exits_non_zero()
    {
        var console = new TestConsole { EmitAnsiSequences = false };

        var exit = await GameCtl.RunAsync(["simulate", "--mix", "join_guild=x"], console);

        Assert.NotEqual(0, exit);
        Assert.Contains("The weight 'x' of join_guild in --mix is not a number", console.Output);
    }

    [Fact]
    public void The_default_mix_has_the_original_ratios()
    {
        Assert.Equal("purchase_a_sword=6,join_guild=4,slay_a_dragon=3,catch_a_butterfly=4", BehaviourMix.Original.ToString());
        Assert.Equal(Behaviour.PurchaseSword, BehaviourMix.Original.Pick(0));
        Assert.Equal(Behaviour.JoinGuild, BehaviourMix.Original.Pick(6.5 / 17));
        Assert.Equal(Behaviour.SlayDragon, BehaviourMix.Original.Pick(10.5 / 17));
        Assert.Equal(Behaviour.CatchButterfly, BehaviourMix.Original.Pick(16.9 / 17));
    }
}
