namespace Fraud.Streaming.Scorer;

/// <summary>Which verdicts carry reason codes (<c>Scorer:ReasonsFor</c>, <c>score-file --reasons-for</c>).</summary>
internal enum ReasonScope
{
    /// <summary>Review and decline verdicts: the ones an analyst reads. The default.</summary>
    Flagged,

    /// <summary>Every verdict, approvals too (TreeSHAP on every transaction: see docs/BENCHMARKS.md for the cost).</summary>
    All,

    /// <summary>No verdict: reasons are always empty.</summary>
    None,
}
