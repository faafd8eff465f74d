using System.Globalization;

namespace GameAnalytics.Cli.Simulation;

/// <summary>Numbers as the progress display and summary print them, the same whatever the machine's culture.</summary>
internal static class Formatting
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString(perSecond < 100 ? "N1" : "N0", CultureInfo.InvariantCulture) + "/s";

    public static string Latency(TimeSpan latency) => latency.TotalMilliseconds switch
    {
        < 10 => latency.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        < 1000 => latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        _ => latency.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };
}
