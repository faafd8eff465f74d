using GameAnalytics.Lake.Storage;

namespace GameAnalytics.Lake;

/// <summary>Where the lake is (section <c>Lake</c>): a local folder, or HDFS when <c>Lake:Hdfs:WebHdfsEndpoint</c> is set.</summary>
public sealed class LakeOptions
{
    public const string SectionName = "Lake";

    /// <summary>The lake's root folder. By default <c>lake</c> under <c>GameAnalytics:DataDir</c>. Unused when the lake is in HDFS.</summary>
    public string Root { get; set; } = "";

    public HdfsOptions Hdfs { get; set; } = new();
}
