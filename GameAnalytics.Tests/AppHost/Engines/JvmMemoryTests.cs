namespace GameAnalytics.Tests.AppHost.Engines;

/// <summary>
/// Every engine is a JVM with a fixed heap inside a container with a hard memory limit. A heap near the limit leaves
/// no room for the JVM's own memory (metaspace, threads, direct buffers) and the kernel kills the container under
/// load, so each heap must stay within 80% of its container's limit, as Presto's deployment guide advises.
/// </summary>
public sealed class JvmMemoryTests(ContainersModel model) : IClassFixture<ContainersModel>
{
    [Theory]
    [InlineData("presto")]
    [InlineData("kafka")]
    [InlineData("namenode")]
    [InlineData("datanode")]
    [InlineData("metastore")]
    [InlineData("spark")]
    [InlineData("spark-compaction")]
    public async Task Each_engines_heap_fits_its_container(string container)
    {
        var heap = await HeapAsync(container);
        var limit = await LimitAsync(container);

        Assert.Null(Problem(container, heap, limit));
    }

    [Theory]
    [InlineData("-Xmx2G", "--memory=2g")]
    [InlineData("-Xmx1700m", "--memory=2g")]
    [InlineData("-Xmx1G", null)]
    public void A_heap_too_close_to_its_limit_is_reported(string heap, string? limit)
    {
        Assert.NotNull(Problem("presto", EngineFiles.LastXmx([heap])!.Value, limit is null ? null : MemoryBytes(limit["--memory=".Length..])));
    }

    private static string? Problem(string container, long heap, long? limit) =>
        limit is null ? $"{container} has no memory limit: its heap cannot be checked against it"
        : heap > limit * 0.8 ? $"{container}'s heap ({heap / 1048576} MiB) leaves less than 20% of its {limit / 1048576} MiB for the JVM's own memory"
        : null;

    /// <summary>The heap as each image sets it, from the file or variable that image reads.</summary>
    private async Task<long> HeapAsync(string container)
    {
        var environment = await model.EnvironmentAsync(container);
        return container switch
        {
            "presto" => EngineFiles.LastXmx(File.ReadAllLines(EngineFiles.PathOf("presto/jvm.config")))!.Value,
            "kafka" => EngineFiles.LastXmx(environment["KAFKA_HEAP_OPTS"].Split(' '))!.Value,
            // Hadoop 3's HADOOP_HEAPSIZE_MAX: a JVM size, megabytes when it has no unit.
            "namenode" or "datanode" => EngineFiles.JvmBytes(environment["HADOOP_HEAPSIZE_MAX"] is var size && char.IsDigit(size[^1]) ? size + "m" : size),
            // The apache/hive image's entrypoint starts the metastore with -Xmx1G before any SERVICE_OPTS.
            "metastore" => EngineFiles.LastXmx(["-Xmx1G", .. environment.GetValueOrDefault("SERVICE_OPTS", "").Split(' ')])!.Value,
            "spark" or "spark-compaction" => EngineFiles.JvmBytes(
                EngineFiles.SparkDefaults(File.ReadAllLines(EngineFiles.PathOf("spark/spark-defaults.conf"))).GetValueOrDefault("spark.driver.memory", "1g")),
            _ => throw new ArgumentOutOfRangeException(nameof(container)),
        };
    }

    private async Task<long?> LimitAsync(string container) =>
        (await model.RuntimeArgsAsync(container)).LastOrDefault(arg => arg.StartsWith("--memory=", StringComparison.Ordinal)) is { } memory
            ? MemoryBytes(memory["--memory=".Length..])
            : null;

    /// <summary>Docker's and Podman's <c>--memory</c>: the same units as the JVM's (b, k, m, g).</summary>
    private static long MemoryBytes(string text) => EngineFiles.JvmBytes(text.TrimEnd('b', 'B'));
}
