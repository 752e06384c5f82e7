using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Trust;

namespace Fraud.Streaming.Testing;

/// <summary>
/// One Ed25519 key pair per test process for signing model announcements, as PEM files a scorer or trainer process can
/// be pointed at (<c>Trust__PublicKeyFiles__0</c>, <c>Signing__PrivateKeyFile</c>), and headers for announcements a test
/// publishes itself.
/// </summary>
public static class TestSigning
{
    private static readonly Lazy<(string Directory, AnnouncementSigner Signer)> Pair = new(Create);

    public static string PrivateKeyFile => Path.Combine(Pair.Value.Directory, "announce.key");

    public static string PublicKeyFile => Path.Combine(Pair.Value.Directory, "announce.pub");

    public static AnnouncementSigner Signer => Pair.Value.Signer;

    /// <summary>Environment for a process that trusts (scorer) and signs with (trainer) this pair.</summary>
    public static Dictionary<string, string?> Environment() => new()
    {
        ["Trust__PublicKeyFiles__0"] = PublicKeyFile,
        ["Trust__AllowUnsigned"] = null,
        ["Signing__PrivateKeyFile"] = PrivateKeyFile,
    };

    /// <summary>The signature headers for an announcement whose value is <paramref name="value"/>.</summary>
    public static Headers Headers(byte[] value, AnnouncementSigner? signer = null)
    {
        signer ??= Signer;
        return new Headers
        {
            { AnnouncementHeaders.KeyId, Encoding.ASCII.GetBytes(signer.KeyId) },
            { AnnouncementHeaders.Signature, signer.Sign(value) },
        };
    }

    private static (string, AnnouncementSigner) Create()
    {
        var directory = Directory.CreateTempSubdirectory("fraud-test-keys-").FullName;
        var (privateKey, publicKey) = Ed25519Keys.Generate();
        File.WriteAllText(Path.Combine(directory, "announce.key"), Ed25519Keys.PrivatePem(privateKey));
        File.WriteAllText(Path.Combine(directory, "announce.pub"), Ed25519Keys.PublicPem(publicKey));
        return (directory, new AnnouncementSigner(privateKey));
    }
}
