using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>The <c>Quality</c> configuration section (env: <c>Quality__MaturityDays</c>, ...): live quality as labels arrive.</summary>
internal sealed class QualityOptions
{
    public const string Section = "Quality";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between passes; a pass recomputes only the days whose verdicts or labels changed, and those that matured.</summary>
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>Days without a fraud report after which a transaction counts as genuine: the trainer's <c>--label-maturity-days</c>.</summary>
    [Range(1, 3_650)]
    public int MaturityDays { get; set; } = 30;

    /// <summary>The gauges cover the newest this-many matured days (event time).</summary>
    [Range(1, 365)]
    public int WindowDays { get; set; } = 7;
}
