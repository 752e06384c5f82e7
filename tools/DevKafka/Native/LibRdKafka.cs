using System.Reflection;
using System.Runtime.InteropServices;

namespace Fraud.Streaming.DevKafka.Native;

/// <summary>
/// The few librdkafka entry points the mock cluster needs. The library comes from the librdkafka.redist
/// package; its default build links libsasl2.so.3, which Debian 12 lacks, so the resolver falls back to the
/// package's centos8 build, which loads.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Library = "librdkafka";

    public const int ProducerType = 0;
    public const int ConfOk = 0;

    private static readonly string[] Candidates = ["librdkafka.so", "centos8-librdkafka.so", "librdkafka.so.1"];

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint MockClusterNew(nint rk, int brokerCount);

    /// <remarks>The string belongs to the cluster; it is copied, never freed here.</remarks>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint MockClusterBootstraps(nint cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(nint cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_controller_id")]
    public static partial void MockSetControllerId(nint cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void MockBrokerSetHostPort(nint cluster, int brokerId, string host, int port);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(nint cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    public static partial nint ErrorToString(int error);

    public static string Describe(int error) => $"{Marshal.PtrToStringUTF8(ErrorToString(error))} ({error})";

    public static string ReadError(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }

    /// <summary>Points every <c>librdkafka</c> import of this assembly at a build of the library that loads here.</summary>
    public static void InstallResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0;
        }

        var baseDir = AppContext.BaseDirectory;
        string[] folders =
        [
            Path.Combine(baseDir, "runtimes", RuntimeIdentifier(), "native"),
            baseDir,
        ];
        var failures = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var candidate in Candidates)
            {
                var path = Path.Combine(folder, candidate);
                if (!File.Exists(path))
                {
                    continue;
                }

                if (NativeLibrary.TryLoad(path, out var handle))
                {
                    return handle;
                }

                failures.Add(path);
            }
        }

        // Last resort: a system-wide librdkafka (a distro package) if one exists.
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            $"no loadable librdkafka under {baseDir} (tried {string.Join(", ", Candidates)}; present but failed to load: {(failures.Count == 0 ? "none" : string.Join(", ", failures))})");
    }

    private static string RuntimeIdentifier() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 when OperatingSystem.IsLinux() => "linux-arm64",
        _ when OperatingSystem.IsLinux() => "linux-x64",
        _ when OperatingSystem.IsMacOS() => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "osx-arm64" : "osx-x64",
        _ => "win-x64",
    };
}
