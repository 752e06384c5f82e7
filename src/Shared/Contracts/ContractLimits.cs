namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The bounds of the v1 contracts, in one place: the validators apply them, the JSON Schemas in <c>schemas/</c> state
/// them (a test keeps the two in agreement), and the producer's own checks use them.
/// </summary>
public static class ContractLimits
{
    /// <summary>
    /// The largest amount accepted. Every feature derived from an amount is float32, and the per-card state squares
    /// the difference of two amounts (the running variance): 1e12 squared is 1e24, far inside float32's 3.4e38, so no
    /// feature, reason value or verdict field can become infinite. No currency's transactions come near it.
    /// </summary>
    public const double MaxAmount = 1e12;

    /// <summary>No event, label, verdict or model time before this instant is accepted (it would be a missing or misread date).</summary>
    public static readonly DateTimeOffset TimeFloor = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far a time may lie ahead of the consumer's reference clock unless configured otherwise (<see cref="ValidationOptions"/>).</summary>
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>Identifiers: transaction, card and merchant ids, model names and versions.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Short codes: merchant category, currency, country, channel, label source and scenario.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Optional descriptive text: device id, ip, e-mail domain, algorithm, device, code version, hashes.</summary>
    public const int MaxTextLength = 256;

    /// <summary>URIs of model artifacts.</summary>
    public const int MaxUriLength = 2048;

    /// <summary>Entries of a transaction's open <c>attributes</c> map (IEEE-CIS rows carry about 430).</summary>
    public const int MaxAttributes = 1024;

    /// <summary>Nesting depth of an attribute value (objects and arrays inside an attribute).</summary>
    public const int MaxAttributeDepth = 8;

    /// <summary>Reasons on one verdict.</summary>
    public const int MaxReasons = 64;

    /// <summary>Features of a model's feature spec.</summary>
    public const int MaxFeatures = 4096;

    /// <summary>Entries of a manifest's <c>parameters</c> map.</summary>
    public const int MaxParameters = 256;

    /// <summary>Length of a parameter value.</summary>
    public const int MaxParameterValueLength = 1024;

    /// <summary>A verdict's latency beyond a day is a clock error, not a measurement.</summary>
    public const double MaxLatencyMs = 86_400_000;

    /// <summary>The longest line a JSONL reader holds; a longer one is refused without being buffered.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;
}
