using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost.Engines;

/// <summary>The engines' files under the AppHost's containers/ folder, read as each engine reads them.</summary>
internal static partial class EngineFiles
{
    public static readonly string Folder = Path.Combine(Repository.Root, "GameAnalytics.AppHost", "containers");

    public static string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>A Java properties file (Presto's): <c>key=value</c> lines, <c>#</c> comments.</summary>
    public static Dictionary<string, string> Properties(IEnumerable<string> lines) =>
        lines.Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => line.Split('=', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(parts => parts[0], parts => parts[1]);

    /// <summary>Spark's spark-defaults.conf: a key, white space, a value.</summary>
    public static Dictionary<string, string> SparkDefaults(IEnumerable<string> lines) =>
        lines.Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToDictionary(parts => parts[0], parts => parts[1]);

    /// <summary>A Hadoop-style XML configuration: name and value of each property.</summary>
    public static Dictionary<string, string> HadoopXml(string file) =>
        XDocument.Load(PathOf(file)).Descendants("property")
            .ToDictionary(property => (string)property.Element("name")!, property => ((string)property.Element("value")!).Trim());

    /// <summary>The heap the last <c>-Xmx</c> among JVM options sets, or null when none does.</summary>
    public static long? LastXmx(IEnumerable<string> options) =>
        options.Select(option => XmxPattern().Match(option.Trim())).Where(match => match.Success).Select(match => (long?)JvmBytes(match.Groups[1].Value)).LastOrDefault();

    /// <summary>A JVM size: a number, then k, m, g or t in either case, multiples of 1,024.</summary>
    public static long JvmBytes(string text)
    {
        var power = char.ToLowerInvariant(text[^1]) switch { 'k' => 1, 'm' => 2, 'g' => 3, 't' => 4, _ => 0 };
        return long.Parse(power == 0 ? text : text[..^1], CultureInfo.InvariantCulture) * (long)Math.Pow(1024, power);
    }

    [GeneratedRegex(@"^-Xmx(\d+[kKmMgGtT]?)$")]
    private static partial Regex XmxPattern();
}
