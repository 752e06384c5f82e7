using System.Net;
using System.Net.Sockets;

namespace Fraud.Streaming.DevKafka;

/// <summary>Binds the fixed ports, starts the mock cluster behind them, announces readiness, and tears all down on stop.</summary>
internal static class DevKafkaHost
{
    public const int ExitOk = 0;
    public const int ExitPortInUse = 3;
    public const int ExitStartFailed = 4;

    public static async Task<int> RunAsync(DevKafkaSettings settings, CancellationToken stop)
    {
        var forwarders = new List<TcpForwarder>();
        MockCluster? cluster = null;
        var wroteBootstrapFile = false;
        try
        {
            // Bind first: a port in use must fail fast, before a cluster exists.
            var listen = new List<IPEndPoint>();
            for (var i = 0; i < settings.Brokers; i++)
            {
                var endpoint = new IPEndPoint(IPAddress.Loopback, settings.FirstPort + i);
                try
                {
                    forwarders.Add(TcpForwarder.Bind(endpoint));
                }
                catch (SocketException e)
                {
                    var reason = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : $"{e.SocketErrorCode} ({e.Message})";
                    await Console.Error.WriteLineAsync(
                        $"DevKafka: cannot listen on {endpoint}: {reason}. Is another DevKafka or a Kafka broker running? Choose another --port.");
                    return ExitPortInUse;
                }

                listen.Add(endpoint);
            }

            cluster = MockCluster.Create(settings.Brokers, settings.Verbose);
            for (var i = 0; i < settings.Brokers; i++)
            {
                cluster.Advertise(i + 1, DevKafkaSettings.Host, listen[i].Port);
            }

            foreach (var topic in settings.Topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions, settings.ReplicationFactor);
            }

            for (var i = 0; i < settings.Brokers; i++)
            {
                forwarders[i].Start(cluster.BrokerEndpoints[i]);
            }

            var bootstrap = string.Join(',', listen.Select(e => $"{DevKafkaSettings.Host}:{e.Port}"));
            if (settings.BootstrapFile is { } file)
            {
                WriteAtomically(file, bootstrap);
                wroteBootstrapFile = true;
            }

            if (settings.Verbose)
            {
                for (var i = 0; i < settings.Brokers; i++)
                {
                    Console.WriteLine($"DevKafka broker {i + 1}: {listen[i]} -> {cluster.BrokerEndpoints[i]}");
                }

                foreach (var topic in settings.Topics)
                {
                    Console.WriteLine($"DevKafka topic {topic.Name}: {topic.Partitions} partitions, replication {settings.ReplicationFactor}");
                }
            }

            Console.WriteLine($"DevKafka ready bootstrap={bootstrap}");
            Console.Out.Flush();

            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine("DevKafka stopping");
            return ExitOk;
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"DevKafka: failed to start: {e.Message}");
            return ExitStartFailed;
        }
        finally
        {
            foreach (var forwarder in forwarders)
            {
                await forwarder.DisposeAsync();
            }

            cluster?.Dispose();
            if (wroteBootstrapFile && settings.BootstrapFile is { } file)
            {
                File.Delete(file);
            }
        }
    }

    private static void WriteAtomically(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, content + "\n");
        File.Move(temp, full, overwrite: true);
    }
}
