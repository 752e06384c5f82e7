using System.Net;
using System.Runtime.InteropServices;
using Fraud.Streaming.DevKafka.Native;

namespace Fraud.Streaming.DevKafka;

/// <summary>
/// librdkafka's in-process mock cluster. It needs a client handle of its own for bookkeeping; both are
/// destroyed together, cluster first.
/// </summary>
internal sealed class MockCluster : IDisposable
{
    private nint _client;
    private nint _cluster;

    private MockCluster(nint client, nint cluster, IReadOnlyList<IPEndPoint> brokerEndpoints)
    {
        _client = client;
        _cluster = cluster;
        BrokerEndpoints = brokerEndpoints;
    }

    /// <summary>The brokers' real (ephemeral) listeners, index 0 is broker id 1.</summary>
    public IReadOnlyList<IPEndPoint> BrokerEndpoints { get; }

    public static MockCluster Create(int brokerCount, bool verbose)
    {
        var errstr = new byte[512];
        var conf = LibRdKafka.ConfNew();
        // The bookkeeping client never connects anywhere; keep it quiet unless asked.
        if (LibRdKafka.ConfSet(conf, "log_level", verbose ? "6" : "3", errstr, (nuint)errstr.Length) != LibRdKafka.ConfOk)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new InvalidOperationException($"rd_kafka_conf_set: {LibRdKafka.ReadError(errstr)}");
        }

        var client = LibRdKafka.New(LibRdKafka.ProducerType, conf, errstr, (nuint)errstr.Length);
        if (client == 0)
        {
            // On failure rd_kafka_new leaves the configuration with the caller.
            LibRdKafka.ConfDestroy(conf);
            throw new InvalidOperationException($"rd_kafka_new: {LibRdKafka.ReadError(errstr)}");
        }

        var cluster = LibRdKafka.MockClusterNew(client, brokerCount);
        if (cluster == 0)
        {
            LibRdKafka.Destroy(client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        var bootstraps = Marshal.PtrToStringUTF8(LibRdKafka.MockClusterBootstraps(cluster)) ?? "";
        var endpoints = ParseBootstraps(bootstraps);
        if (endpoints.Count != brokerCount)
        {
            LibRdKafka.MockClusterDestroy(cluster);
            LibRdKafka.Destroy(client);
            throw new InvalidOperationException($"mock cluster reported {endpoints.Count} brokers for {brokerCount}: '{bootstraps}'");
        }

        // Without a controller the AdminClient waits for one forever.
        LibRdKafka.MockSetControllerId(cluster, 1);
        return new MockCluster(client, cluster, endpoints);
    }

    /// <summary>Parses librdkafka's "host:port,host:port" list, which it writes in broker-id order.</summary>
    internal static List<IPEndPoint> ParseBootstraps(string bootstraps)
    {
        var result = new List<IPEndPoint>();
        foreach (var item in bootstraps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = item.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(item.AsSpan(colon + 1), out var port))
            {
                throw new FormatException($"unexpected broker address '{item}' in '{bootstraps}'");
            }

            var host = item[..colon];
            var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
            result.Add(new IPEndPoint(address, port));
        }

        return result;
    }

    public void CreateTopic(string name, int partitions, int replicationFactor)
    {
        var error = LibRdKafka.MockTopicCreate(Handle(), name, partitions, replicationFactor);
        if (error != 0)
        {
            throw new InvalidOperationException($"creating topic {name} ({partitions} partitions): {LibRdKafka.Describe(error)}");
        }
    }

    /// <summary>Makes metadata responses name this address for the broker, so clients connect there.</summary>
    public void Advertise(int brokerId, string host, int port) =>
        LibRdKafka.MockBrokerSetHostPort(Handle(), brokerId, host, port);

    public void Dispose()
    {
        if (_cluster != 0)
        {
            LibRdKafka.MockClusterDestroy(_cluster);
            _cluster = 0;
        }

        if (_client != 0)
        {
            LibRdKafka.Destroy(_client);
            _client = 0;
        }
    }

    private nint Handle() => _cluster != 0 ? _cluster : throw new ObjectDisposedException(nameof(MockCluster));
}
