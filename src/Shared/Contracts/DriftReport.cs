namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// What one scorer process observed of its traffic against the serving model's drift reference, published on
/// <c>fraud.drift</c> (key = <see cref="Source"/>) every few seconds: the population stability indexes of its sliding
/// window, and per event day the cumulative bin counts since the process started. Counts are cumulative per source, so a
/// repeated report replaces the last one: Monitoring upserts by (source, model version, day) and sums the sources.
/// </summary>
public sealed record DriftReport
{
    public required string Source { get; init; }
    public required string ModelVersion { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required DriftWindow Window { get; init; }

    /// <summary>The event days that received transactions since the previous report, with all their counts so far.</summary>
    public required IReadOnlyList<DriftDay> Days { get; init; }
}

/// <summary>The sliding window: the last <see cref="Seconds"/> of wall-clock time this source scored.</summary>
public sealed record DriftWindow(
    int Seconds,
    long Transactions,
    double ScorePsi,
    IReadOnlyDictionary<string, double> FeaturePsi,
    IReadOnlyDictionary<string, double> UnseenRate);

/// <summary>One event day's counts, in the model's reference bins (<see cref="BinnedDistribution"/>).</summary>
public sealed record DriftDay(
    DateOnly Day,
    long Transactions,
    IReadOnlyList<long> ScoreCounts,
    IReadOnlyDictionary<string, IReadOnlyList<long>> FeatureCounts,
    IReadOnlyDictionary<string, long> UnseenCounts);
