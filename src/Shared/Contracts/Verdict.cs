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

    /// <summary>
    /// The newest UTC day whose merchant and device totals the features read: normally the transaction's day less the
    /// entity lag less one; earlier when the scorer scored before the aggregator had closed that day (and counted it).
    /// Null when no totals were available at all (or the model's spec has no entity features).
    /// </summary>
    public DateOnly? EntityDaysThrough { get; init; }
}

/// <summary>
/// One feature's contribution to a verdict: its TreeSHAP value, how much it moved the score's log-odds away from the
/// model's average over its training rows (<see cref="Models.TreeShap"/>). <see cref="Verdict.Reasons"/> lists the three
/// largest, largest first, for review and decline verdicts; an approval's list is empty unless the scorer is asked for all.
/// </summary>
public sealed record Reason(string Feature, float Value, float Contribution);
