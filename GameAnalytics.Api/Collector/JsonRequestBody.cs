using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace GameAnalytics.Api.Collector;

/// <summary>
/// A request body read whole, up to a limit, and parsed as JSON. The document reads straight
/// from the request's buffers, which are released on dispose.
/// </summary>
internal sealed class JsonRequestBody : IDisposable
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    private readonly PipeReader _reader;
    private readonly SequencePosition _end;

    private JsonRequestBody(PipeReader reader, SequencePosition end, JsonDocument document)
    {
        _reader = reader;
        _end = end;
        Document = document;
    }

    public JsonDocument Document { get; }

    public JsonElement Root => Document.RootElement;

    public static async Task<JsonBodyReadResult> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return JsonBodyReadResult.TooLarge;
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException ex)
            {
                // The server's own body limit, or a client that went away mid-body: the client's fault, not ours.
                return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? JsonBodyReadResult.TooLarge
                    : new JsonBodyReadResult(null, $"The request body could not be read: {ex.Message}");
            }

            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.End);
                return JsonBodyReadResult.TooLarge;
            }

            if (read.IsCompleted)
            {
                break;
            }

            // Nothing consumed yet: ask for more until the body is complete.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            var document = JsonDocument.Parse(read.Buffer, ParseOptions);
            return new JsonBodyReadResult(new JsonRequestBody(reader, read.Buffer.End, document), null);
        }
        catch (JsonException ex)
        {
            reader.AdvanceTo(read.Buffer.End);
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            var why = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? $": it nests deeper than {ParseOptions.MaxDepth} levels" : "";
            return new JsonBodyReadResult(null, read.Buffer.IsEmpty ? "The request body is empty." : $"The request body is not valid JSON{where}{why}.");
        }
    }

    public void Dispose()
    {
        Document.Dispose();
        _reader.AdvanceTo(_end);
    }
}

internal sealed record JsonBodyReadResult(JsonRequestBody? Body, string? Error)
{
    public static JsonBodyReadResult TooLarge { get; } = new(null, null) { IsTooLarge = true };

    public bool IsTooLarge { get; private init; }
}
