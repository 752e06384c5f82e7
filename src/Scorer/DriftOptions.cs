using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The <c>Drift</c> configuration section (env: <c>Drift__WindowSeconds</c>, ...): the sliding window the scorer measures
/// its traffic's drift over, and how often it reports it (Prometheus gauges and the drift topic).
/// </summary>
internal sealed class DriftOptions
{
    public const string Section = "Drift";

    /// <summary>Count features, scores and categorical values against the model's reference; off, no gauges and no reports.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Wall-clock length of the sliding window the gauges and the reports' indexes cover.</summary>
    [Range(10, 86_400)]
    public int WindowSeconds { get; set; } = 300;

    /// <summary>The window moves in this many steps: a step's counts leave it together.</summary>
    [Range(2, 600)]
    public int WindowSlots { get; set; } = 10;

    /// <summary>Seconds between gauge updates and reports on the drift topic.</summary>
    [Range(1, 3_600)]
    public int ReportSeconds { get; set; } = 10;

    /// <summary>
    /// Event days, back from the newest one seen, whose cumulative counts are kept and reported; a transaction older than
    /// that counts in the window only (its day's totals in Postgres were final long ago).
    /// </summary>
    [Range(1, 400)]
    public int RetainedDays { get; set; } = 14;
}
