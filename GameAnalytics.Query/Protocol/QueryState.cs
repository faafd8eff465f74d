using System.Text.Json.Serialization;

namespace GameAnalytics.Query.Protocol;

/// <summary>A query's state as Presto's client protocol names it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QueryState>))]
public enum QueryState
{
    [JsonStringEnumMemberName("QUEUED")]
    Queued,

    [JsonStringEnumMemberName("RUNNING")]
    Running,

    [JsonStringEnumMemberName("FINISHED")]
    Finished,

    [JsonStringEnumMemberName("FAILED")]
    Failed,
}
