using System.ComponentModel.DataAnnotations;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Aggregator;

/// <summary>The <c>Aggregator</c> configuration section (env: <c>Aggregator__GroupId</c>, ...).</summary>
internal sealed class AggregatorOptions
{
    public const string Section = "Aggregator";

    [Required, MinLength(1)]
    public string GroupId { get; set; } = "fraud-aggregator";

    /// <summary>
    /// How far (event time) behind the newest event of its partition an event may arrive and still count before its day
    /// closes. Later than that, it corrects a closed day (counted as late).
    /// </summary>
    [Range(0, 7 * 24 * 3_600)]
    public int GraceSeconds { get; set; } = 3_600;

    /// <summary>
    /// How far (event time) behind the transactions fraud reports may reach the aggregator. Reports are few, so a day's
    /// reports are taken to be complete once the transactions are this far past its end; a report later than that is
    /// late (it corrects its day). Keep it below the scorers' entity lag less the grace period (3 h - 1 h by default),
    /// or scorers wait for every new day's totals.
    /// </summary>
    [Range(0, 720)]
    public int LabelLagHours { get; set; } = 1;

    /// <summary>A partition read to its end with no new message for this long is idle: its days close with the other partitions'.</summary>
    [Range(1, 3_600)]
    public int IdleAfterSeconds { get; set; } = 10;

    /// <summary>Reports about transactions older than this are not attributed; must equal the scorers' and trainer's (part of their feature spec).</summary>
    [Range(FeatureSpecLimits.MinReportHorizonDays, FeatureSpecLimits.MaxReportHorizonDays)]
    public int ReportHorizonDays { get; set; } = Shared.Features.Entities.EntityFeatures.DefaultReportHorizonDays;

    /// <summary>Closed days kept in memory so a late event can still correct them; older ones no feature reads any more.</summary>
    [Range(1, 400)]
    public int CorrectableDays { get; set; } = 64;

    /// <summary>How often watermarks are advanced and closed days published.</summary>
    [Range(10, 60_000)]
    public int AdvanceIntervalMs { get; set; } = 200;

    /// <summary>How often published records are flushed and consumed offsets committed.</summary>
    [Range(1, 3_600)]
    public int CommitIntervalSeconds { get; set; } = 5;

    /// <summary>Group session timeout (session.timeout.ms): how soon the group notices a member that died without leaving.</summary>
    [Range(1_000, 3_600_000)]
    public int SessionTimeoutMs { get; set; } = 45_000;

    /// <summary>Longest wait at start (and after a rebalance) for the entity totals topic to be read to its end.</summary>
    [Range(1, 3_600)]
    public int CatchUpSeconds { get; set; } = 60;
}
