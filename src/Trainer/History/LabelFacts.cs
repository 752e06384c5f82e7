using Fraud.Streaming.Shared.Quality;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// What the labels say about one transaction: its latest label (what Postgres keeps) and its earliest fraud report
/// (what the entity features count). Times are UTC ticks; <see cref="long.MaxValue"/> means none.
/// </summary>
internal readonly record struct LabelFacts(long LatestTicks, bool LatestIsFraud, long FirstFraudTicks)
{
    public static LabelFacts None { get; } = new(long.MaxValue, false, long.MaxValue);

    public bool HasLabel => LatestTicks != long.MaxValue;

    /// <summary>The earliest fraud report in Unix milliseconds; <see cref="long.MaxValue"/> when never reported.</summary>
    public long FirstReportMs => FirstFraudTicks == long.MaxValue ? long.MaxValue : (FirstFraudTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>These facts and one more label: the later label is the latest (on a tie, this one); a fraud label may be the earliest report.</summary>
    public LabelFacts With(bool isFraud, long labelledTicks) => new(
        !HasLabel || labelledTicks >= LatestTicks ? labelledTicks : LatestTicks,
        !HasLabel || labelledTicks >= LatestTicks ? isFraud : LatestIsFraud,
        isFraud ? Math.Min(FirstFraudTicks, labelledTicks) : FirstFraudTicks);

    /// <summary>
    /// The training target as of <paramref name="asOfTicks"/>, for a transaction at least <paramref name="maturityTicks"/>
    /// old then: its latest label if it was received by then; else fraud if a fraud report was; else genuine (issuers
    /// report fraud and say little about the rest, so silence means genuine once the maturity window has passed).
    /// Null (not trained on) for a younger transaction, reported or not: its reports are in but its genuine siblings'
    /// silence means nothing yet, so training on its frauds alone would over-represent fraud in exactly the newest
    /// weeks the holdout is cut from.
    /// </summary>
    public bool? TargetAsOf(long asOfTicks, long eventTicks, long maturityTicks) =>
        LabelOutcome.Matured(asOfTicks, eventTicks, maturityTicks)
            ? LabelOutcome.AsOf(asOfTicks, eventTicks, maturityTicks, LatestTicks, LatestIsFraud, FirstFraudTicks)
            : null;
}
