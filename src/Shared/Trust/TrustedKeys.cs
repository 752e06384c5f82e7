using Confluent.Kafka;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Fraud.Streaming.Shared.Trust;

/// <summary>
/// The public keys a scorer trusts (<see cref="TrustOptions"/>), and the check of an announcement's signature against
/// them: over the message value exactly as received, before a byte of it is parsed.
/// </summary>
public sealed class TrustedKeys
{
    private readonly Dictionary<string, Ed25519PublicKeyParameters> _keys;

    public TrustedKeys(IEnumerable<Ed25519PublicKeyParameters> keys, bool allowUnsigned)
    {
        _keys = keys.ToDictionary(Ed25519Keys.KeyId, StringComparer.Ordinal);
        AllowUnsigned = allowUnsigned;
    }

    public bool AllowUnsigned { get; }

    public int Count => _keys.Count;

    public IEnumerable<string> KeyIds => _keys.Keys;

    /// <summary>The keys <paramref name="options"/> name.</summary>
    /// <exception cref="InvalidOperationException">a named key cannot be read; the message names the setting.</exception>
    public static TrustedKeys From(TrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<Ed25519PublicKeyParameters>();
        for (var i = 0; i < options.PublicKeyFiles.Count; i++)
        {
            var file = options.PublicKeyFiles[i];
            string pem;
            try
            {
                pem = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new InvalidOperationException($"Trust:PublicKeyFiles:{i} '{file}' cannot be read: {ex.Message}", ex);
            }
            keys.Add(Parse(pem, $"Trust:PublicKeyFiles:{i} '{file}'"));
        }
        for (var i = 0; i < options.PublicKeys.Count; i++)
        {
            keys.Add(Parse(options.PublicKeys[i], $"Trust:PublicKeys:{i}"));
        }
        return new TrustedKeys(keys, options.AllowUnsigned);
    }

    /// <summary>Checks the signature headers of a message against its value.</summary>
    public SignatureCheck Check(byte[]? value, Headers? headers)
    {
        byte[]? signature = null;
        byte[]? keyId = null;
        if (headers is not null)
        {
            headers.TryGetLastBytes(AnnouncementHeaders.Signature, out signature);
            headers.TryGetLastBytes(AnnouncementHeaders.KeyId, out keyId);
        }
        if (signature is null)
        {
            return AllowUnsigned ? SignatureCheck.AllowedUnsigned : SignatureCheck.Unsigned;
        }
        if (keyId is null || !_keys.TryGetValue(System.Text.Encoding.ASCII.GetString(keyId), out var key))
        {
            return SignatureCheck.UntrustedKey;
        }
        var verifier = new Ed25519Signer();
        verifier.Init(forSigning: false, key);
        var bytes = value ?? [];
        verifier.BlockUpdate(bytes, 0, bytes.Length);
        return verifier.VerifySignature(signature) ? SignatureCheck.Trusted : SignatureCheck.BadSignature;
    }

    /// <summary>The metric label of a refusing outcome.</summary>
    public static string CodeOf(SignatureCheck check) => check switch
    {
        SignatureCheck.Unsigned => "unsigned",
        SignatureCheck.UntrustedKey => "untrusted_key",
        SignatureCheck.BadSignature => "bad_signature",
        _ => "trusted",
    };

    private static Ed25519PublicKeyParameters Parse(string pem, string source)
    {
        try
        {
            return Ed25519Keys.ReadPublic(pem);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{source} is not an Ed25519 public key in PEM: {ex.Message}", ex);
        }
    }
}
