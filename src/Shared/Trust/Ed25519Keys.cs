using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Fraud.Streaming.Shared.Trust;

/// <summary>
/// Ed25519 key pairs in the PEM formats OpenSSL uses (<c>openssl genpkey -algorithm ed25519</c>): PKCS#8
/// <c>PRIVATE KEY</c> and SubjectPublicKeyInfo <c>PUBLIC KEY</c>. BouncyCastle does the cryptography (pure managed
/// code: no native library to ship in a container).
/// </summary>
public static class Ed25519Keys
{
    private const string PrivateLabel = "PRIVATE KEY";
    private const string PublicLabel = "PUBLIC KEY";

    /// <summary>A new key pair from the operating system's random source.</summary>
    public static (Ed25519PrivateKeyParameters Private, Ed25519PublicKeyParameters Public) Generate()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        return ((Ed25519PrivateKeyParameters)pair.Private, (Ed25519PublicKeyParameters)pair.Public);
    }

    public static string PrivatePem(Ed25519PrivateKeyParameters key) =>
        PemEncoding.WriteString(PrivateLabel, PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded());

    public static string PublicPem(Ed25519PublicKeyParameters key) =>
        PemEncoding.WriteString(PublicLabel, SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded());

    /// <summary>Reads a PKCS#8 <c>PRIVATE KEY</c> PEM holding an Ed25519 key.</summary>
    /// <exception cref="FormatException">not such a key; the message says why, never the key.</exception>
    public static Ed25519PrivateKeyParameters ReadPrivate(string pem) =>
        Read(pem, PrivateLabel, PrivateKeyFactory.CreateKey) as Ed25519PrivateKeyParameters
        ?? throw new FormatException("the PRIVATE KEY is not an Ed25519 key");

    /// <summary>Reads a <c>PUBLIC KEY</c> PEM holding an Ed25519 key.</summary>
    /// <exception cref="FormatException">not such a key.</exception>
    public static Ed25519PublicKeyParameters ReadPublic(string pem) =>
        Read(pem, PublicLabel, PublicKeyFactory.CreateKey) as Ed25519PublicKeyParameters
        ?? throw new FormatException("the PUBLIC KEY is not an Ed25519 key");

    /// <summary>A short, stable name of a public key (the first 8 bytes of the SHA-256 of its raw 32 bytes, hex), sent beside each signature.</summary>
    public static string KeyId(Ed25519PublicKeyParameters key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.GetEncoded()).AsSpan(0, 8));
    }

    private static AsymmetricKeyParameter Read(string pem, string label, Func<byte[], AsymmetricKeyParameter> create)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual(label))
        {
            throw new FormatException($"no '-----BEGIN {label}-----' block");
        }
        try
        {
            return create(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException or FormatException)
        {
            throw new FormatException($"the {label} block does not parse: {ex.Message}", ex);
        }
    }
}
