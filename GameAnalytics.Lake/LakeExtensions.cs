using GameAnalytics.Lake;
using GameAnalytics.Lake.Storage;
using GameAnalytics.Lake.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class LakeExtensions
{
    /// <summary>
    /// The lake's storage (<see cref="ILakeStorage"/>) and its tables: <c>Lake:Root</c>, by default <c>lake</c> under
    /// <c>GameAnalytics:DataDir</c>, or HDFS through <c>Lake:Hdfs</c>.
    /// </summary>
    public static IHostApplicationBuilder AddLake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LakeOptions>()
            .BindConfiguration(LakeOptions.SectionName)
            .PostConfigure<IConfiguration>((lake, configuration) =>
            {
                if (!lake.Hdfs.Enabled)
                {
                    lake.Root = LakeLocation.Resolve(configuration);
                }
            })
            .ValidateOnStart();

        // No retrying handler for WebHDFS: a retried rename that had succeeded would read as lost to another writer.
        builder.Services.AddSingleton<ILakeStorage>(services =>
        {
            var lake = services.GetRequiredService<IOptions<LakeOptions>>().Value;
            return lake.Hdfs.Enabled
                ? new WebHdfsLakeStorage(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, lake.Hdfs)
                : new LocalLakeStorage(lake.Root);
        });
        builder.Services.AddSingleton<LakeTables>();
        return builder;
    }
}
