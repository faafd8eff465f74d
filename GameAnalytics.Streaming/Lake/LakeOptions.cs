using GameAnalytics.Streaming.Lake.Hive;
using GameAnalytics.Streaming.Lake.Storage;

namespace GameAnalytics.Streaming.Lake;

public sealed class LakeOptions
{
    public const string SectionName = "Lake";

    /// <summary>The lake's root folder. By default <c>lake</c> under <c>GameAnalytics:DataDir</c>. Unused when the lake is in HDFS.</summary>
    public string Root { get; set; } = "";

    public HdfsOptions Hdfs { get; set; } = new();

    /// <summary>Where Hive tables are registered (section <c>Lake:Hive</c>); off by default.</summary>
    public HiveOptions Hive { get; set; } = new();
}
