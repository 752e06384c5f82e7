namespace Fraud.Streaming.Scorer;

/// <summary>
/// A stored snapshot that must not be used; the partition is then restored by replay from its earliest offset.
/// <see cref="Code"/> is a small fixed set (a metric label).
/// </summary>
internal sealed class SnapshotRejectedException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Unreadable: another format version, truncated, corrupted, or for another partition.</summary>
    public const string Format = "format";

    /// <summary>Written for another feature spec: its states mean something else.</summary>
    public const string Spec = "spec_mismatch";

    /// <summary>Its offset lies beyond the committed one (written after a commit that did not stick).</summary>
    public const string Ahead = "ahead_of_commit";

    public string Code { get; } = code;
}
