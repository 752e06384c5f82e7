namespace Fraud.Streaming.Shared.Contracts;

/// <summary>A late-arriving ground-truth label on <c>fraud.labels</c> (chargeback, review outcome, ...).</summary>
public sealed record Label
{
    public required string TransactionId { get; init; }
    public required string CardId { get; init; }
    public required bool IsFraud { get; init; }
    public required DateTimeOffset LabelledAt { get; init; }
    public required string Source { get; init; }

    /// <summary>Name of the synthetic fraud scenario, when the label comes from the synthetic world.</summary>
    public string? Scenario { get; init; }
}
