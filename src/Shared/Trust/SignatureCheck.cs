namespace Fraud.Streaming.Shared.Trust;

/// <summary>What <see cref="TrustedKeys.Check"/> found. The non-trusted outcomes are metric labels (<see cref="TrustedKeys.CodeOf"/>).</summary>
public enum SignatureCheck
{
    /// <summary>Signed by a trusted key, and the signature verifies.</summary>
    Trusted,

    /// <summary>Unsigned, and unsigned announcements are allowed (insecure mode).</summary>
    AllowedUnsigned,

    /// <summary>No signature, and unsigned announcements are not allowed.</summary>
    Unsigned,

    /// <summary>Signed by a key this scorer does not trust.</summary>
    UntrustedKey,

    /// <summary>A trusted key's name, and a signature that does not verify (altered, or forged).</summary>
    BadSignature,
}
