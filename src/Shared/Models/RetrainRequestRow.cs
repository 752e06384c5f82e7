using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>One row of <c>retrain_requests</c>. A class with setters so Dapper maps it by column name.</summary>
public sealed class RetrainRequestRow
{
    public const string Drift = "drift";
    public const string Quality = "quality";

    public long Id { get; set; }
    public string ModelName { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public string Trigger { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public string? ClosedByVersion { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public bool IsOpen => ClosedAt is null;

    /// <summary>The event published on the retrain-requests topic.</summary>
    public RetrainRequest ToContract() => new()
    {
        RequestId = Id,
        ModelName = ModelName,
        ModelVersion = ModelVersion,
        Trigger = Trigger,
        Reason = Reason,
        RequestedAt = RequestedAt,
    };
}
