using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Fraud.Streaming.DevKafka;

/// <summary>
/// Listens on a fixed port and pipes every connection, both ways, to one mock broker's ephemeral port.
/// The mock cannot bind a chosen port itself, and all client traffic passes through here, so the copy loops
/// use pooled buffers and Nagle is off on both legs.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (Socket Client, Socket Upstream)> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;

    private TcpForwarder(Socket listener) => _listener = listener;

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Binds the listening socket now, so a port in use is reported before anything else starts.</summary>
    /// <exception cref="SocketException">the port cannot be bound (typically <see cref="SocketError.AddressAlreadyInUse"/>).</exception>
    public static TcpForwarder Bind(IPEndPoint listen)
    {
        var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(listen);
            listener.Listen(512);
            return new TcpForwarder(listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting; connections queued in the backlog since <see cref="Bind"/> are served too.</summary>
    public void Start(IPEndPoint target)
    {
        _acceptLoop = AcceptLoopAsync(target, _stopping.Token);
    }

    private async Task AcceptLoopAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that reset before we accepted it; keep listening.
                continue;
            }

            _ = ForwardAsync(client, target, cancellationToken);
        }
    }

    private async Task ForwardAsync(Socket client, IPEndPoint target, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var upstream = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            await upstream.ConnectAsync(target, cancellationToken);
            _connections[id] = (client, upstream);

            // Either direction ending ends the connection: Kafka clients never half-close.
            var clientToBroker = PumpAsync(client, upstream, cancellationToken);
            var brokerToClient = PumpAsync(upstream, client, cancellationToken);
            await Task.WhenAny(clientToBroker, brokerToClient);
            Close(client, upstream);
            await Task.WhenAll(clientToBroker, brokerToClient);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        finally
        {
            _connections.TryRemove(id, out _);
            Close(client, upstream);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, cancellationToken);
                }
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Close(Socket a, Socket b)
    {
        a.Dispose();
        b.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        foreach (var (client, upstream) in _connections.Values)
        {
            Close(client, upstream);
        }

        await _acceptLoop;
        _stopping.Dispose();
    }
}
