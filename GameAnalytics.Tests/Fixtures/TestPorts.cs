using System.Net;
using System.Net.Sockets;

namespace GameAnalytics.Tests.Fixtures;

public static class TestPorts
{
    /// <summary>A loopback port free at the time of asking.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
