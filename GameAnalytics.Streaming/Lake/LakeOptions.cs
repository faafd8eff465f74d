namespace GameAnalytics.Streaming.Lake;

public sealed class LakeOptions
{
    public const string SectionName = "Lake";

    /// <summary>The lake's root folder. By default <c>lake</c> under <c>GameAnalytics:DataDir</c>.</summary>
    public string Root { get; set; } = "";
}
