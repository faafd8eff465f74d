using System.Net;
using System.Net.Sockets;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>
/// Listens on a fixed loopback port and pipes each connection to the mock broker's random port,
/// so clients can be given a stable bootstrap address such as 127.0.0.1:9092.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly HashSet<Socket> _connections = [];
    private long _bytesFromClients;

    private TcpRelay(Socket listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public long BytesFromClients => Interlocked.Read(ref _bytesFromClients);

    /// <summary>Binds <paramref name="port"/> on 127.0.0.1 (0 picks a free one).</summary>
    /// <exception cref="PortInUseException">The port is taken.</exception>
    public static TcpRelay Start(int port, IPEndPoint target)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(128);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            listener.Dispose();
            throw new PortInUseException(port, ex);
        }

        return new TcpRelay(listener, target);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (client)
        {
            client.NoDelay = true;
            if (!Track(client) || !Track(upstream))
            {
                return;
            }

            try
            {
                await upstream.ConnectAsync(_target, _stopping.Token);
                // When either side closes, close both, as a direct connection would.
                await Task.WhenAny(PumpAsync(client, upstream, countBytes: true), PumpAsync(upstream, client, countBytes: false));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                Untrack(client);
                Untrack(upstream);
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool countBytes)
    {
        var buffer = new byte[BufferSize];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
                if (countBytes)
                {
                    Interlocked.Add(ref _bytesFromClients, read);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private bool Track(Socket socket)
    {
        lock (_connections)
        {
            return !_stopping.IsCancellationRequested && _connections.Add(socket);
        }
    }

    private void Untrack(Socket socket)
    {
        lock (_connections)
        {
            _connections.Remove(socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Socket[] open;
        lock (_connections)
        {
            _stopping.Cancel();
            open = [.. _connections];
        }

        _listener.Dispose();
        foreach (var socket in open)
        {
            socket.Dispose();
        }

        await _acceptLoop;
        _stopping.Dispose();
    }
}
