using System.Net;
using System.Net.Sockets;

namespace Fraud.Streaming.Testing;

/// <summary>Ports for the services a test starts.</summary>
public static class Ports
{
    /// <summary>A loopback port free at the time of asking (the kernel's choice, so parallel tests do not collide).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
