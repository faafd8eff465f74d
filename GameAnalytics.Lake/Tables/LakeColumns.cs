namespace GameAnalytics.Lake.Tables;

public enum LakeColumnType
{
    String,
    Binary,
    Int32,
    Int64,
    /// <summary>UTC, in milliseconds.</summary>
    Timestamp,
}

public sealed record LakeColumn(string Name, LakeColumnType Type, bool Nullable = true);

/// <summary>The columns of the lake's tables, in file order: what every writer writes and every engine declares.</summary>
public static class LakeColumns
{
    /// <summary>The id a client retry keeps. Deduplication keys on it with the player and the type.</summary>
    public const string EventId = "event_id";

    public const string UserId = "user_id";

    public const string EventType = "event_type";

    /// <summary>An event table: the original design's six columns first, then ours.</summary>
    public static IReadOnlyList<LakeColumn> Event { get; } =
    [
        new("raw_event", LakeColumnType.String),
        new("timestamp", LakeColumnType.String),
        new("accept", LakeColumnType.String),
        new("host", LakeColumnType.String),
        new("user-agent", LakeColumnType.String),
        new(EventType, LakeColumnType.String),
        new(EventId, LakeColumnType.String),
        new(UserId, LakeColumnType.String),
        new("received_at", LakeColumnType.Timestamp, Nullable: false),
        new("client_time", LakeColumnType.Timestamp),
        new("properties", LakeColumnType.String),
        new("kafka_partition", LakeColumnType.Int32, Nullable: false),
        new("kafka_offset", LakeColumnType.Int64, Nullable: false),
        // Added after the first lakes were written: last, so that engines reading columns by position read old files too.
        new("app_id", LakeColumnType.String),
    ];

    /// <summary>The columns added to event tables after their first files: a table an engine knew before gains them.</summary>
    public static IReadOnlyList<LakeColumn> AddedToEvent { get; } = [Event[^1]];

    public static IReadOnlyList<LakeColumn> Rejected { get; } =
    [
        new("raw_event", LakeColumnType.String),
        new("raw_bytes", LakeColumnType.Binary),
        new("reason", LakeColumnType.String),
        new("kafka_partition", LakeColumnType.Int32, Nullable: false),
        new("kafka_offset", LakeColumnType.Int64, Nullable: false),
        new("kafka_timestamp", LakeColumnType.Timestamp, Nullable: false),
        new("rejected_at", LakeColumnType.Timestamp, Nullable: false),
    ];

    /// <summary>Hive's partition column, from the folder name <c>dt=YYYY-MM-DD</c>; last, as a string.</summary>
    public const string Partition = "dt";

    public static IReadOnlyList<LakeColumn> Of(string table) => table == TableNames.Rejected ? Rejected : Event;
}
