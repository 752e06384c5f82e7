using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests.DevStack;

/// <summary>DevKafka as its own process, on ports of its own, so these run beside a dev stack.</summary>
public sealed class DevKafkaProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stops_cleanly_on_SIGTERM_and_removes_its_bootstrap_file()
    {
        var port = FreePortRange(2);
        var bootstrapFile = Path.Combine(Path.GetTempPath(), $"devkafka-{Guid.NewGuid():N}.bootstrap");
        await using var devKafka = Start("--brokers", "2", "--port", $"{port}", "--topic", "extra.topic:3", "--bootstrap-file", bootstrapFile);

        var ready = await devKafka.WaitForLineAsync("DevKafka ready", StartTimeout);
        var expected = $"127.0.0.1:{port},127.0.0.1:{port + 1}";
        Assert.Equal($"DevKafka ready bootstrap={expected}", ready);
        Assert.Equal(expected, (await File.ReadAllTextAsync(bootstrapFile)).Trim());
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = expected }).Build())
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(20));
            Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "extra.topic").Partitions.Count);
            Assert.Equal(2, metadata.Brokers.Count);
        }

        var exitCode = await devKafka.StopAsync(TimeSpan.FromSeconds(20));

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{devKafka.Output}");
        Assert.False(File.Exists(bootstrapFile));
        Assert.True(CanBind(port) && CanBind(port + 1), "listeners still open after exit");
    }

    [Fact]
    public async Task Exits_non_zero_with_a_clear_message_when_a_port_is_taken()
    {
        var port = FreePortRange(3);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
        squatter.Listen();
        await using var devKafka = Start("--brokers", "3", "--port", $"{port}");

        var exitCode = await devKafka.WaitForExitAsync(StartTimeout);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(devKafka.Lines, l => l.IsError && l.Text.Contains($"127.0.0.1:{port + 1}", StringComparison.Ordinal)
            && l.Text.Contains("address already in use", StringComparison.Ordinal));
        Assert.DoesNotContain(devKafka.Lines, l => l.Text.StartsWith("DevKafka ready", StringComparison.Ordinal));
    }

    private static ProcessRunner Start(params string[] arguments) =>
        ProcessRunner.StartDotnet(RepoPaths.BuiltAssembly("tools/DevKafka", "Fraud.Streaming.DevKafka"), arguments);

    /// <summary>A run of consecutive loopback ports that are free right now, away from the dev stack's.</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 29000);
            if (Enumerable.Range(first, count).All(CanBind))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free ports found");
    }

    private static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
