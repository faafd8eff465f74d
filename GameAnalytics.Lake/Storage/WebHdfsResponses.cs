using System.Text.Json.Serialization;

namespace GameAnalytics.Lake.Storage;

// WebHDFS's JSON answers, as far as the lake reads them.
internal sealed record LocationResponse(Uri Location);

internal sealed record BooleanResponse([property: JsonPropertyName("boolean")] bool Boolean);

internal sealed record ListStatusResponse(FileStatuses FileStatuses);

internal sealed record FileStatuses(IReadOnlyList<FileStatus> FileStatus);

internal sealed record FileStatus(string PathSuffix, string Type, long Length, long ModificationTime);

internal sealed record FileStatusResponse(FileStatus FileStatus);

internal sealed record RemoteExceptionResponse(RemoteException RemoteException);

internal sealed record RemoteException(string Exception, string Message);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(LocationResponse))]
[JsonSerializable(typeof(BooleanResponse))]
[JsonSerializable(typeof(ListStatusResponse))]
[JsonSerializable(typeof(FileStatusResponse))]
[JsonSerializable(typeof(RemoteExceptionResponse))]
internal sealed partial class WebHdfsJsonContext : JsonSerializerContext;
