namespace GameAnalytics.Lake.Storage;

/// <summary>The lake in HDFS, reached through WebHDFS (section <c>Lake:Hdfs</c>). Without an endpoint the lake is a local folder.</summary>
public sealed class HdfsOptions
{
    /// <summary>The namenode's WebHDFS, for example <c>http://localhost:9870</c>.</summary>
    public Uri? WebHdfsEndpoint { get; set; }

    /// <summary>
    /// Where this process reaches the datanode. The namenode redirects reads and writes to a datanode by a name
    /// that only the container network may know; when set, redirects go here instead.
    /// </summary>
    public Uri? DataNodeEndpoint { get; set; }

    /// <summary>The HDFS user the files belong to.</summary>
    public string User { get; set; } = "hadoop";

    /// <summary>The lake's folder in HDFS.</summary>
    public string Directory { get; set; } = "/lake";

    /// <summary>The file system as the SQL engines name it, for tables' locations, for example <c>hdfs://namenode:8020</c>.</summary>
    public Uri? FileSystem { get; set; }

    public bool Enabled => WebHdfsEndpoint is not null;
}
