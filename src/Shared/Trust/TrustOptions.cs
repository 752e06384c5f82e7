namespace Fraud.Streaming.Shared.Trust;

/// <summary>
/// The <c>Trust</c> configuration section of a scorer: the public keys whose signatures make a model announcement
/// trusted (<c>Trust__PublicKeyFiles__0</c>, <c>Trust__PublicKeys__0</c>), and the explicit, insecure opt-out.
/// </summary>
public sealed class TrustOptions
{
    public const string Section = "Trust";

    /// <summary>PEM files (<c>PUBLIC KEY</c>) of trusted announcers.</summary>
    public List<string> PublicKeyFiles { get; set; } = [];

    /// <summary>PEM texts of trusted announcers' public keys.</summary>
    public List<string> PublicKeys { get; set; } = [];

    /// <summary>
    /// Obey unsigned announcements too. Insecure: anyone who can write to the models topic then chooses every
    /// decision; for a closed test setup only, and warned about at start. Signed announcements are still verified.
    /// </summary>
    public bool AllowUnsigned { get; set; }

    public bool HasKeys => PublicKeyFiles.Count > 0 || PublicKeys.Count > 0;
}
