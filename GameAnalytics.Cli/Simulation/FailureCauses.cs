using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace GameAnalytics.Cli.Simulation;

/// <summary>Names why a request went wrong, in the words an operator searches for.</summary>
internal static class FailureCauses
{
    public const string ConnectionRefused = "connection refused";
    public const string Timeout = "timeout";
    public const string HostNotFound = "host not found";
    public const string NetworkUnreachable = "network unreachable";
    public const string ConnectionReset = "connection reset";
    public const string ConnectionError = "connection error";
    public const string ResponseEnded = "response ended early";
    public const string EventRejected = "event rejected in a batch";

    private static readonly string[] StatusCauses = Enumerable.Range(0, 600).Select(code => $"HTTP {code}").ToArray();

    /// <summary>A cause per status code, cached so that a run of errors does not allocate a string per request.</summary>
    public static string Status(int code) => code is >= 0 and < 600 ? StatusCauses[code] : $"HTTP {code}";

    /// <summary>The cause of an exception from a send, and whether it means no connection could be made at all.</summary>
    public static (string Cause, bool Unreachable) Classify(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            // HttpClient.Timeout surfaces as a cancellation whose inner exception is a TimeoutException.
            return (Timeout, false);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => (ConnectionRefused, true),
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => (HostNotFound, true),
                SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => (NetworkUnreachable, true),
                SocketError.TimedOut => (Timeout, true),
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => (ConnectionReset, false),
                var other => ($"socket error {other}", false),
            };
        }

        if (exception is HttpRequestException request)
        {
            return request.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => (HostNotFound, true),
                HttpRequestError.ConnectionError => (ConnectionError, true),
                HttpRequestError.ResponseEnded => (ResponseEnded, false),
                HttpRequestError.SecureConnectionError => ("TLS error", true),
                HttpRequestError.InvalidResponse => ("invalid HTTP response", false),
                HttpRequestError.ProxyTunnelError => ("proxy error", true),
                HttpRequestError.Unknown when Find<IOException>(exception) is not null => (ConnectionReset, false),
                var other => ($"HTTP request error {other}", false),
            };
        }

        return (exception is IOException ? ConnectionReset : exception.GetType().Name, false);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
