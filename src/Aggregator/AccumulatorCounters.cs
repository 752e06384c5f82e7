namespace Fraud.Streaming.Aggregator;

/// <summary>What one partition's accumulator saw that did not simply add up; exported as metrics.</summary>
internal sealed class AccumulatorCounters
{
    /// <summary>A transaction id seen before (a producer retry or a replayed duplicate): counted once.</summary>
    public long DuplicateTransactions;

    /// <summary>An event for a day already closed and published: the day is corrected and published again.</summary>
    public long Late;

    /// <summary>An event for a day closed so long ago that no current feature reads it: not applied.</summary>
    public long TooLate;

    /// <summary>A fraud report whose transaction never arrived in this partition before the report's time passed.</summary>
    public long UnmatchedReports;

    /// <summary>A fraud report outside the horizon (or before its transaction): not attributed, by the feature definition.</summary>
    public long UnattributedReports;
}
