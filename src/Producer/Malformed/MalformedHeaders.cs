namespace Fraud.Streaming.Producer.Malformed;

/// <summary>Headers on injected malformed messages, so a test can find each one again in the DLQ.</summary>
internal static class MalformedHeaders
{
    /// <summary>A transaction-like id that is unique per malformed message (the body may not carry one).</summary>
    public const string Id = "malformed.id";

    /// <summary>The <see cref="MalformedKind"/> name, snake_case.</summary>
    public const string Kind = "malformed.kind";
}
