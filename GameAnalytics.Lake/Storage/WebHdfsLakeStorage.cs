using System.Net;
using System.Net.Http.Json;

namespace GameAnalytics.Lake.Storage;

/// <summary>
/// The lake in HDFS through the WebHDFS REST API. HDFS renames are atomic and never replace a file,
/// which is what the commit protocol needs.
/// </summary>
public sealed class WebHdfsLakeStorage(HttpClient http, HdfsOptions options) : ILakeStorage
{
    private readonly Uri _endpoint = options.WebHdfsEndpoint ?? throw new ArgumentException("Lake:Hdfs:WebHdfsEndpoint is not set.", nameof(options));
    private readonly string _root = "/" + options.Directory.Trim('/');

    public string Location => new Uri(options.FileSystem ?? _endpoint, _root).ToString();

    public string EnginePath(string path) => new Uri(options.FileSystem ?? _endpoint, $"{_root}/{path}").ToString();

    public bool Exists(string path) => Status(path) is not null;

    public LakeFileStatus? Status(string path)
    {
        using var response = Send(HttpMethod.Get, path, "GETFILESTATUS");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, "GETFILESTATUS", path);
        var status = response.Content.ReadFromJsonAsync(WebHdfsJsonContext.Default.FileStatusResponse).GetAwaiter().GetResult()?.FileStatus
            ?? throw new IOException($"WebHDFS answered GETFILESTATUS of {path} without a status.");
        return new LakeFileStatus(status.Length, DateTimeOffset.FromUnixTimeMilliseconds(status.ModificationTime));
    }

    public void Write(string path, Action<Stream> write)
    {
        using var content = new MemoryStream();
        write(content);
        content.Position = 0;

        // Two steps, as WebHDFS defines: the namenode names a datanode, which takes the bytes.
        using var created = Send(HttpMethod.Put, path, "CREATE", "&overwrite=true&noredirect=true");
        EnsureSuccess(created, "CREATE", path);
        using var upload = new HttpRequestMessage(HttpMethod.Put, DataNodeUri(ReadLocation(created)))
        {
            Content = new StreamContent(content),
        };
        upload.Content.Headers.ContentType = new("application/octet-stream");
        using var uploaded = http.Send(upload);
        EnsureSuccess(uploaded, "CREATE", path);
    }

    public Stream OpenRead(string path)
    {
        using var opened = Send(HttpMethod.Get, path, "OPEN", "&noredirect=true");
        EnsureSuccess(opened, "OPEN", path);
        using var read = http.Send(new HttpRequestMessage(HttpMethod.Get, DataNodeUri(ReadLocation(opened))));
        EnsureSuccess(read, "OPEN", path);
        var content = new MemoryStream();
        read.Content.ReadAsStream().CopyTo(content);
        content.Position = 0;
        return content;
    }

    public bool TryRenameNoReplace(string from, string to)
    {
        if (RenameOnce(from, to))
        {
            return true;
        }

        return Exists(to) ? false : throw new IOException($"WebHDFS could not rename {from} to {to}: the source or the destination's folder is missing.");
    }

    public void Rename(string from, string to)
    {
        if (RenameOnce(from, to))
        {
            return;
        }

        Delete(to);
        if (!RenameOnce(from, to))
        {
            throw new IOException($"WebHDFS could not rename {from} to {to}.");
        }
    }

    public void Delete(string path)
    {
        using var response = Send(HttpMethod.Delete, path, "DELETE");
        EnsureSuccess(response, "DELETE", path);
    }

    public IEnumerable<string> ListFiles(string directory, bool recursive)
    {
        var files = new List<string>();
        foreach (var (child, type) in List(directory))
        {
            if (type == "FILE")
            {
                files.Add(child);
            }
            else if (recursive && type == "DIRECTORY")
            {
                files.AddRange(ListFiles(child, recursive));
            }
        }

        return files;
    }

    public IEnumerable<string> ListDirectories(string directory) =>
        List(directory).Where(entry => entry.Type == "DIRECTORY").Select(entry => entry.Path).ToList();

    public IDisposable? TryLock(string path) =>
        throw new NotSupportedException("A lake in HDFS has no locks: compacting it is the SQL engines' work.");

    private List<(string Path, string Type)> List(string directory)
    {
        using var response = Send(HttpMethod.Get, directory, "LISTSTATUS");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        EnsureSuccess(response, "LISTSTATUS", directory);
        var listing = response.Content.ReadFromJsonAsync(WebHdfsJsonContext.Default.ListStatusResponse).GetAwaiter().GetResult();
        var prefix = directory.Length == 0 ? "" : directory.TrimEnd('/') + "/";
        return (listing?.FileStatuses.FileStatus ?? []).Select(status => (prefix + status.PathSuffix, status.Type)).ToList();
    }

    private bool RenameOnce(string from, string to)
    {
        using var response = Send(HttpMethod.Put, from, "RENAME", "&destination=" + Uri.EscapeDataString($"{_root}/{to}"));
        EnsureSuccess(response, "RENAME", from);
        return response.Content.ReadFromJsonAsync(WebHdfsJsonContext.Default.BooleanResponse).GetAwaiter().GetResult()?.Boolean == true;
    }

    private HttpResponseMessage Send(HttpMethod method, string path, string operation, string parameters = "")
    {
        var escaped = string.Join('/', $"{_root}/{path}".Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        var uri = new Uri(_endpoint, $"/webhdfs/v1/{escaped}?op={operation}&user.name={Uri.EscapeDataString(options.User)}{parameters}");
        return http.Send(new HttpRequestMessage(method, uri));
    }

    private static Uri ReadLocation(HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync(WebHdfsJsonContext.Default.LocationResponse).GetAwaiter().GetResult()?.Location
        ?? throw new IOException("WebHDFS answered without the datanode's location.");

    private Uri DataNodeUri(Uri location) => options.DataNodeEndpoint is { } dataNode
        ? new UriBuilder(location) { Scheme = dataNode.Scheme, Host = dataNode.Host, Port = dataNode.Port }.Uri
        : location;

    private static void EnsureSuccess(HttpResponseMessage response, string operation, string path)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = TryReadError(response);
        throw new IOException(
            $"WebHDFS {operation} of {path} failed with {(int)response.StatusCode} {response.ReasonPhrase}" +
            (error is null ? "." : $": {error.Exception}: {error.Message}"));
    }

    private static RemoteException? TryReadError(HttpResponseMessage response)
    {
        try
        {
            return response.Content.ReadFromJsonAsync(WebHdfsJsonContext.Default.RemoteExceptionResponse).GetAwaiter().GetResult()?.RemoteException;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
