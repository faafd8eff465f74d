using System.Globalization;
using System.Text.RegularExpressions;
using GameAnalytics.Tests.Fixtures;

namespace GameAnalytics.Tests.AppHost.Engines;

/// <summary>
/// The containers topology's Presto files against the rules Presto (prestodb 0.292) enforces when it starts, as its
/// source states them: <c>NodeMemoryConfig</c>'s defaults (per-node user memory 10% of the heap, per-node total memory
/// and heap headroom 30% each) and <c>LocalMemoryManager</c>'s checks. A file that breaks one keeps Presto from starting,
/// which no test here could otherwise see: our machines have no container runtime.
/// </summary>
public sealed partial class PrestoConfigurationTests
{
    private static readonly string PrestoFolder = EngineFiles.PathOf("presto");

    [Fact]
    public void The_memory_limits_fit_the_heap_as_presto_checks_at_start_up()
    {
        var problems = MemoryProblems(
            EngineFiles.Properties(File.ReadAllLines(Path.Combine(PrestoFolder, "config.properties"))),
            File.ReadAllLines(Path.Combine(PrestoFolder, "jvm.config")));

        Assert.Empty(problems);
    }

    [Theory]
    // The file before this fix: 512 MB per node against a default total of 30% of 1 GB.
    [InlineData("query.max-memory-per-node=512MB", "max query memory per node")]
    [InlineData("query.max-memory-per-node=256MB\nquery.max-total-memory-per-node=800MB", "heap headroom")]
    [InlineData("query.max-memory-per-node=256MB\nquery.max-total-memory-per-node=512MB\nmemory.heap-headroom-per-node=600MB", "heap headroom")]
    public void A_configuration_presto_refuses_is_reported(string config, string problem)
    {
        var problems = MemoryProblems(EngineFiles.Properties(config.Split('\n')), ["-Xmx1G"]);

        Assert.Contains(problems, found => found.Contains(problem, StringComparison.Ordinal));
    }

    /// <summary>LocalMemoryManager's start-up checks, with NodeMemoryConfig's defaults for what the file leaves out.</summary>
    private static List<string> MemoryProblems(IReadOnlyDictionary<string, string> config, IEnumerable<string> jvm)
    {
        var heap = EngineFiles.LastXmx(jvm) ?? 0;
        if (heap == 0)
        {
            return ["jvm.config sets no -Xmx: the heap, and so every default, depends on the container's memory"];
        }

        long Setting(string key, double shareOfHeap) => config.TryGetValue(key, out var value) ? DataSizeBytes(value) : (long)(heap * shareOfHeap);
        var perNode = Setting("query.max-memory-per-node", 0.1);
        var totalPerNode = Setting("query.max-total-memory-per-node", 0.3);
        var headroom = Setting("memory.heap-headroom-per-node", 0.3);
        var problems = new List<string>();
        if (totalPerNode + headroom > heap)
        {
            problems.Add($"max total query memory per node ({totalPerNode}) and heap headroom ({headroom}) together exceed the heap ({heap})");
        }

        if (perNode > totalPerNode)
        {
            problems.Add($"max query memory per node ({perNode}) is greater than the max total query memory per node ({totalPerNode})");
        }

        return problems;
    }

    /// <summary>Airlift's DataSize, as Presto reads its properties: units B to PB, multiples of 1,024.</summary>
    private static long DataSizeBytes(string text)
    {
        var match = DataSizePattern().Match(text);
        Assert.True(match.Success, $"'{text}' is no data size Presto reads");
        var power = Array.IndexOf(["B", "kB", "MB", "GB", "TB", "PB"], match.Groups[2].Value);
        return (long)(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * Math.Pow(1024, power));
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(B|kB|MB|GB|TB|PB)$")]
    private static partial Regex DataSizePattern();
}
