using System.Globalization;

namespace GameAnalytics.Cli.Simulation;

/// <summary>How often each behaviour happens relative to the others, as weights.</summary>
internal sealed class BehaviourMix
{
    private readonly (Behaviour Behaviour, double Weight)[] _weights;
    private readonly double[] _cumulative;
    private readonly double _total;

    public BehaviourMix(IEnumerable<(Behaviour Behaviour, double Weight)> weights)
    {
        _weights = weights.Where(w => w.Weight > 0).ToArray();
        if (_weights.Length == 0)
        {
            throw new ArgumentException("A mix needs at least one behaviour with a positive weight.", nameof(weights));
        }

        _cumulative = new double[_weights.Length];
        for (var i = 0; i < _weights.Length; i++)
        {
            _total += _weights[i].Weight;
            _cumulative[i] = _total;
        }
    }

    /// <summary>The original's ratios: each round held 6 sword purchases, 4 guild joins, 3 dragons and 4 butterflies.</summary>
    public static BehaviourMix Original { get; } = new([
        (Behaviour.PurchaseSword, 6), (Behaviour.JoinGuild, 4), (Behaviour.SlayDragon, 3), (Behaviour.CatchButterfly, 4)]);

    public IReadOnlyList<(Behaviour Behaviour, double Weight)> Weights => _weights;

    /// <summary>The behaviour at <paramref name="fraction"/> (0 inclusive to 1 exclusive) of the cumulative weights.</summary>
    public Behaviour Pick(double fraction)
    {
        var target = fraction * _total;

        // A handful of behaviours: a linear scan beats a binary search.
        for (var i = 0; i < _cumulative.Length - 1; i++)
        {
            if (target < _cumulative[i])
            {
                return _weights[i].Behaviour;
            }
        }

        return _weights[^1].Behaviour;
    }

    public static bool TryParse(string? text, out BehaviourMix? mix, out string error)
    {
        mix = null;
        var example = "e.g. purchase_a_sword=2,join_guild=1,slay_a_dragon=1,catch_a_butterfly=2";
        var known = string.Join(", ", Behaviour.All.Select(b => b.Name));
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"--mix is empty: give behaviour=weight pairs separated by commas, {example}.";
            return false;
        }

        var weights = new List<(Behaviour, double)>();
        var seen = new HashSet<Behaviour>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0)
            {
                error = $"--mix '{text}' has an empty entry (two commas, or a trailing comma): {example}.";
                return false;
            }

            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                error = $"'{part}' in --mix has no weight: write behaviour=weight, {example}.";
                return false;
            }

            var name = part[..equals].Trim();
            var weightText = part[(equals + 1)..].Trim();
            if (Behaviour.Find(name) is not { } behaviour)
            {
                error = $"Unknown behaviour '{name}' in --mix. Known behaviours: {known}.";
                return false;
            }

            if (!double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !double.IsFinite(weight))
            {
                error = $"The weight '{weightText}' of {behaviour.Name} in --mix is not a number: write {behaviour.Name}=2.";
                return false;
            }

            if (weight < 0)
            {
                error = $"The weight of {behaviour.Name} in --mix is {weightText}: weights must be zero or more.";
                return false;
            }

            if (!seen.Add(behaviour))
            {
                error = $"{behaviour.Name} appears more than once in --mix: give each behaviour one weight.";
                return false;
            }

            weights.Add((behaviour, weight));
        }

        if (weights.All(w => w.Item2 == 0))
        {
            error = "Every weight in --mix is 0: at least one behaviour needs a positive weight.";
            return false;
        }

        mix = new BehaviourMix(weights);
        error = "";
        return true;
    }

    public override string ToString() =>
        string.Join(",", _weights.Select(w => $"{w.Behaviour.Name}={w.Weight.ToString(CultureInfo.InvariantCulture)}"));
}
