using System.Net;
using System.Net.Sockets;

namespace Fraud.Streaming.Testing;

/// <summary>
/// Forwards a loopback port to a server, and can cut every connection and refuse new ones (<see cref="Cut"/>) then
/// forward again (<see cref="Restore"/>): a dependency going down and coming back, as a client sees it, without
/// stopping the shared server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    /// <summary>Forwards again on the same port.</summary>
    public void Restore()
    {
        lock (_lock)
        {
            if (_listener is not null)
            {
                return;
            }
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _accepting = new CancellationTokenSource();
            _ = AcceptAsync(_listener, _accepting.Token);
        }
    }

    /// <summary>Closes every forwarded connection and stops listening: connecting is refused until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (_lock)
        {
            _accepting?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open)
            {
                client.Close();
            }
            _open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                inbound.Close();
                outbound.Close();
                continue;
            }
            lock (_lock)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Cut, or closed by either side.
        }
        from.Close();
        to.Close();
    }
}
