namespace Fraud.Streaming.Shared.Quality;

/// <summary>
/// What became of a transaction as of an instant, by the semantics of issuers' labels (docs/FEATURES.md, "Labels"): its
/// latest label if one was received by then; else fraud if a fraud report was; else genuine once the maturity window has
/// passed without a report; else not known yet. The trainer's targets are this rule on matured transactions only; live
/// quality counts every known outcome. Times are UTC ticks; <see cref="long.MaxValue"/> means none.
/// </summary>
public static class LabelOutcome
{
    /// <returns>true (fraud), false (genuine) or null (not known as of <paramref name="asOfTicks"/>).</returns>
    public static bool? AsOf(long asOfTicks, long eventTicks, long maturityTicks, long latestLabelTicks, bool latestIsFraud, long firstFraudTicks)
    {
        if (latestLabelTicks <= asOfTicks)
        {
            return latestIsFraud;
        }
        if (firstFraudTicks <= asOfTicks)
        {
            return true;
        }
        return eventTicks <= asOfTicks - maturityTicks ? false : null;
    }

    /// <summary>Whether the maturity window of a transaction at <paramref name="eventTicks"/> has passed by <paramref name="asOfTicks"/>.</summary>
    public static bool Matured(long asOfTicks, long eventTicks, long maturityTicks) => eventTicks <= asOfTicks - maturityTicks;
}
