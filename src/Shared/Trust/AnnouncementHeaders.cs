namespace Fraud.Streaming.Shared.Trust;

/// <summary>Headers of a signed model announcement on <c>fraud.models</c>.</summary>
public static class AnnouncementHeaders
{
    /// <summary>The Ed25519 signature (64 bytes) over the message value: the manifest's JSON bytes exactly as sent.</summary>
    public const string Signature = "fraud.signature";

    /// <summary>Which key signed (<see cref="Ed25519Keys.KeyId"/>), so a scorer trusting several keys knows which to try.</summary>
    public const string KeyId = "fraud.key-id";
}
