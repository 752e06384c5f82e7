using System.Net.Sockets;
using System.Text;

namespace Fraud.Streaming.Testing;

/// <summary>
/// Where the test servers are. Values come from the environment (<c>FRAUD_KAFKA_BOOTSTRAP</c>, <c>FRAUD_PG</c>,
/// <c>FRAUD_S3_URL</c>, <c>FRAUD_S3_BUCKET</c>) or, when unset, from the <c>.devstack/env</c> file that
/// <c>deploy/devstack.sh up</c> writes, found by walking up from the test assembly's folder.
/// </summary>
public static class TestEnvironment
{
    public const string KafkaVariable = "FRAUD_KAFKA_BOOTSTRAP";
    public const string PostgresVariable = "FRAUD_PG";
    public const string S3UrlVariable = "FRAUD_S3_URL";
    public const string S3BucketVariable = "FRAUD_S3_BUCKET";
    public const string S3AccessKeyVariable = "FRAUD_S3_ACCESS_KEY";
    public const string S3SecretKeyVariable = "FRAUD_S3_SECRET_KEY";

    /// <summary>s3rver accepts only these credentials unless configured otherwise.</summary>
    public const string S3rverCredential = "S3RVER";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> DevstackFile = new(ReadDevstackEnv);
    private static readonly Lazy<bool> Docker = new(ProbeDocker);

    public static string? KafkaBootstrap => Get(KafkaVariable);

    public static string? PostgresConnectionString => Get(PostgresVariable);

    public static string? S3Url => Get(S3UrlVariable);

    public static string? S3Bucket => Get(S3BucketVariable);

    public static string S3AccessKey => Get(S3AccessKeyVariable) ?? S3rverCredential;

    public static string S3SecretKey => Get(S3SecretKeyVariable) ?? S3rverCredential;

    public static bool HasKafka => KafkaBootstrap is not null;

    public static bool HasPostgres => PostgresConnectionString is not null;

    public static bool HasS3 => S3Url is not null && S3Bucket is not null;

    /// <summary>A Docker engine answers (for Testcontainers); probed once, in well under a second.</summary>
    public static bool DockerAvailable => Docker.Value;

    /// <summary>The <c>.devstack/env</c> file in use, if one was found.</summary>
    public static string? DevstackEnvFile { get; private set; }

    public static string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        return DevstackFile.Value.TryGetValue(name, out var fromFile) && !string.IsNullOrWhiteSpace(fromFile) ? fromFile : null;
    }

    private static IReadOnlyDictionary<string, string> ReadDevstackEnv()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".devstack", "env");
            if (File.Exists(candidate))
            {
                DevstackEnvFile = candidate;
                return ParseEnvFile(File.ReadAllLines(candidate));
            }
        }

        return new Dictionary<string, string>();
    }

    /// <summary>Reads <c>export K=V</c> / <c>K=V</c> lines; values may be single- or double-quoted.</summary>
    public static Dictionary<string, string> ParseEnvFile(IEnumerable<string> lines)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            result[line[..equals].Trim()] = value;
        }

        return result;
    }

    private static bool ProbeDocker()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            if (string.IsNullOrEmpty(host))
            {
                return File.Exists("/var/run/docker.sock") && Ping(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
            }

            if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                return Ping(new UnixDomainSocketEndPoint(host["unix://".Length..]));
            }

            if (host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var uri))
            {
                return Ping(new System.Net.DnsEndPoint(uri.Host, uri.Port));
            }

            // Some other transport (ssh://, npipe://): assume the user knows it works.
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    private static bool Ping(System.Net.EndPoint endpoint)
    {
        var protocol = endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var socket = new Socket(endpoint.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : endpoint.AddressFamily, SocketType.Stream, protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        socket.ConnectAsync(endpoint, timeout.Token).AsTask().GetAwaiter().GetResult();
        socket.Send("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8);
        var buffer = new byte[256];
        var read = socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).AsTask().GetAwaiter().GetResult();
        return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
    }
}
