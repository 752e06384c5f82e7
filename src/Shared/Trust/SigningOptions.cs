namespace Fraud.Streaming.Shared.Trust;

/// <summary>
/// The <c>Signing</c> configuration section of whoever announces models (the trainer): the Ed25519 private key, as a
/// file (a mounted Kubernetes Secret: <c>Signing__PrivateKeyFile</c>) or as PEM text (<c>Signing__PrivateKey</c>).
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary>A PKCS#8 PEM file holding the private key.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The PKCS#8 PEM text itself; wins over <see cref="PrivateKeyFile"/>.</summary>
    public string? PrivateKey { get; set; }
}
