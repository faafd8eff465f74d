using System.Globalization;

sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var key = e.Current;
            if (!key.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                throw new ArgumentException($"expected --name value, got {key}");
            }

            values[key[2..]] = e.Current;
        }

        return new Options(values);
    }

    public string? Get(string name) => values.GetValueOrDefault(name);

    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public double Number(string name, double? fallback = null) =>
        Get(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");
}
