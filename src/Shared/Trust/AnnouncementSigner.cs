using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Fraud.Streaming.Shared.Trust;

/// <summary>Signs model announcements with the trainer's private key (<see cref="SigningOptions"/>).</summary>
public sealed class AnnouncementSigner(Ed25519PrivateKeyParameters key)
{
    public string KeyId { get; } = Ed25519Keys.KeyId(key.GeneratePublicKey());

    /// <summary>The signature over <paramref name="value"/>, the exact bytes that will be published.</summary>
    public byte[] Sign(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, key);
        signer.BlockUpdate(value, 0, value.Length);
        return signer.GenerateSignature();
    }

    /// <summary>The signer <paramref name="options"/> name, or null when they name no key.</summary>
    /// <exception cref="InvalidOperationException">a key is named but cannot be read; the message names the setting, never the key.</exception>
    public static AnnouncementSigner? From(SigningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? pem;
        string source;
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            (pem, source) = (options.PrivateKey, "Signing:PrivateKey");
        }
        else if (!string.IsNullOrWhiteSpace(options.PrivateKeyFile))
        {
            source = $"Signing:PrivateKeyFile '{options.PrivateKeyFile}'";
            try
            {
                pem = File.ReadAllText(options.PrivateKeyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{source} cannot be read: {ex.Message}", ex);
            }
        }
        else
        {
            return null;
        }
        try
        {
            return new AnnouncementSigner(Ed25519Keys.ReadPrivate(pem));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{source} is not an Ed25519 private key in PEM: {ex.Message}", ex);
        }
    }
}
