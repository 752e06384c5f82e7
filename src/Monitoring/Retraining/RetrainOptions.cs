using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Monitoring.Retraining;

/// <summary>
/// The <c>Retrain</c> configuration section (env: <c>Retrain__MaxFeaturePsi</c>, ...): the limits whose crossing raises a
/// retrain request. A quality limit left empty is not checked.
/// </summary>
internal sealed class RetrainOptions
{
    public const string Section = "Retrain";

    public bool Enabled { get; set; } = true;

    /// <summary>The model the requests are for (the registry's and the scorers' model name).</summary>
    [Required, MinLength(1)]
    public string ModelName { get; set; } = "fraud-gbdt";

    /// <summary>A feature's stability index over a scorer's window at or above this is drift (0.25: the usual "major shift").</summary>
    [Range(0.01, 100)]
    public double MaxFeaturePsi { get; set; } = 0.25;

    /// <summary>The score's stability index at or above this is drift.</summary>
    [Range(0.01, 100)]
    public double MaxScorePsi { get; set; } = 0.25;

    /// <summary>A share of the window's transactions with a categorical value training never had, at or above this, is drift.</summary>
    [Range(0.0001, 1)]
    public double MaxUnseenRate { get; set; } = 0.05;

    /// <summary>Windows with fewer transactions say too little to act on.</summary>
    [Range(1, 100_000_000)]
    public long MinWindowTransactions { get; set; } = 1_000;

    /// <summary>Drift must be reported this many times in a row by a scorer before a request is raised (a burst is not a shift).</summary>
    [Range(1, 1_000)]
    public int ConsecutiveReports { get; set; } = 3;

    [Range(0, 1)]
    public double? MinRocAuc { get; set; }

    [Range(0, 1)]
    public double? MinPrAuc { get; set; }

    /// <summary>Recall of the matured window's frauds at the review threshold.</summary>
    [Range(0, 1)]
    public double? MinRecallAtReview { get; set; }

    /// <summary>Quality limits are checked only over a matured window with at least this many frauds.</summary>
    [Range(1, 10_000_000)]
    public long MinWindowFrauds { get; set; } = 30;

    /// <summary>After a request for a serving version, no new one for that same version for this long (the retrained one was not promoted).</summary>
    [Range(0, 525_600)]
    public int CooldownMinutes { get; set; } = 360;
}
