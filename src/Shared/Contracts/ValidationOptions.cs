using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The <c>Validation</c> configuration section (env: <c>Validation__MaxFutureSkew</c>), read by every consumer of
/// the contracts, so the scorer, Monitoring, the trainer and the producer's own checks draw the same line.
/// </summary>
public sealed class ValidationOptions
{
    public const string Section = "Validation";

    /// <summary>
    /// How far an event, label, verdict or model time may lie ahead of the reference clock: the Kafka timestamp of the
    /// message that carries it (the wall clock where there is none). Further ahead is refused with its reason.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Validation:MaxFutureSkew must lie between 0 and 365 days")]
    public TimeSpan MaxFutureSkew { get; set; } = ContractLimits.DefaultMaxFutureSkew;

    /// <summary>The window for a message whose reference clock reads <paramref name="reference"/>.</summary>
    public EventTimeWindow WindowAt(DateTimeOffset reference) => EventTimeWindow.At(reference, MaxFutureSkew);
}
