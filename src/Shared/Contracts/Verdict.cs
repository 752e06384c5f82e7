namespace Fraud.Streaming.Shared.Contracts;

/// <summary>The scorer's answer for one transaction, published on <c>fraud.verdicts</c> (key = <c>card_id</c>).</summary>
public sealed record Verdict
{
    public required string TransactionId { get; init; }
    public required string CardId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required float Score { get; init; }
    public required Decision Decision { get; init; }
    public required string ModelVersion { get; init; }
    public required IReadOnlyList<Reason> Reasons { get; init; }
    public required DateTimeOffset ScoredAt { get; init; }
    public required double LatencyMs { get; init; }
}

/// <summary>One feature's contribution to a verdict: how far the value sits from the model's training reference.</summary>
public sealed record Reason(string Feature, float Value, float Contribution);
