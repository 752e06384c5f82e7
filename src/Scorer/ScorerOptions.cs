using System.ComponentModel.DataAnnotations;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Scorer;

/// <summary>The <c>Scorer</c> configuration section (env: <c>Scorer__GroupId</c>, ...).</summary>
internal sealed class ScorerOptions
{
    public const string Section = "Scorer";

    [Required, MinLength(1)]
    public string GroupId { get; set; } = "fraud-scorer";

    [Range(1, 65_536)]
    public int MaxBatchSize { get; set; } = 512;

    [Range(0, 60_000)]
    public int MaxBatchWaitMs { get; set; } = 20;

    /// <summary>A model package folder to serve until (or unless) the models topic announces a newer one.</summary>
    public string? InitialModel { get; set; }

    /// <summary>The key on the models topic this scorer follows.</summary>
    [Required, MinLength(1)]
    public string ModelName { get; set; } = "fraud-gbdt";

    [Range(1, 600)]
    public int DrainTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Longest time a fetch waits for new data (fetch.wait.max.ms). Kafka answers as soon as data arrives; the
    /// dev Kafka (librdkafka's mock) answers an up-to-date fetch only after this wait, so it bounds latency there.
    /// </summary>
    [Range(1, 10_000)]
    public int FetchWaitMaxMs { get; set; } = 100;

    /// <summary>
    /// A card idle for longer than this (event time) starts afresh; part of the feature spec, so it must equal the
    /// trainer's <c>--card-idle-days</c> (a model built with another value is refused).
    /// </summary>
    [Range(FeatureSpecLimits.MinCardIdleDays, FeatureSpecLimits.MaxCardIdleDays)]
    public int CardIdleDays { get; set; } = Shared.Features.FeatureSpec.DefaultCardIdleDays;

    /// <summary>How often idle cards are dropped from memory (between batches, never per event).</summary>
    [Range(1, 86_400)]
    public int CardSweepIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Idle cards are dropped only when idle this much longer than <see cref="CardIdleDays"/> before the newest
    /// event seen, so a transaction up to this late still finds its card's state (as the offline pipeline does).
    /// </summary>
    [Range(0, 8_760)]
    public int CardSweepLatenessHours { get; set; } = 24;

    /// <summary>How often consumer lag is read from the cached watermarks.</summary>
    [Range(1, 3_600)]
    public int LagIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Append each scored transaction's feature vector to this JSONL file (the <c>score-file --emit-features</c>
    /// format), flushed before each commit. Off (null) by default; for parity checks, not for production.
    /// </summary>
    public string? EmitFeatures { get; set; }

    /// <summary>Group session timeout (session.timeout.ms): how soon the group notices a member that died without leaving.</summary>
    [Range(1_000, 3_600_000)]
    public int SessionTimeoutMs { get; set; } = 45_000;

    /// <summary>
    /// Longest time between two polls before the member is dropped from the group (max.poll.interval.ms). The assignment
    /// handler restores card state inside a poll, so <see cref="StateOptions.RestoreTimeoutSeconds"/> must stay under it.
    /// </summary>
    [Range(1_000, 86_400_000)]
    public int MaxPollIntervalMs { get; set; } = 300_000;

    /// <summary>
    /// Transaction ids remembered per partition to find duplicates (an id read again at another offset); 0 turns the
    /// check off. About 36 bytes each in memory and 16 in the partition's snapshot.
    /// </summary>
    [Range(0, 10_000_000)]
    public int DuplicateWindow { get; set; } = 100_000;

    /// <summary>
    /// The largest dead-letter message to send whole (key, value, headers): the smaller of the producer's and the
    /// broker's message size limits. A larger copy goes as a stub (reference, size, reason, headers).
    /// </summary>
    [Range(10_000, 100_000_000)]
    public int DlqMaxMessageBytes { get; set; } = 1_000_000;

    /// <summary>
    /// Merchant and device features read whole days that ended at least this many hours before the transaction; part
    /// of the feature spec, so it must equal the trainer's <c>--entity-lag-hours</c>.
    /// </summary>
    [Range(FeatureSpecLimits.MinEntityLagHours, FeatureSpecLimits.MaxEntityLagHours)]
    public int EntityLagHours { get; set; } = Shared.Features.Entities.EntityFeatures.DefaultLagHours;

    /// <summary>A fraud report about an older transaction is not attributed; part of the feature spec (trainer <c>--report-horizon-days</c>, and the aggregator's).</summary>
    [Range(FeatureSpecLimits.MinReportHorizonDays, FeatureSpecLimits.MaxReportHorizonDays)]
    public int ReportHorizonDays { get; set; } = Shared.Features.Entities.EntityFeatures.DefaultReportHorizonDays;

    /// <summary>
    /// Longest a batch waits for the aggregator to close the days its transactions read. After that the batch reads
    /// the newest complete day instead (its verdicts say so), and later batches do not wait until the aggregator has
    /// caught up.
    /// </summary>
    [Range(0, 600_000)]
    public int EntityMaxWaitMs { get; set; } = 5_000;

    /// <summary>Longest the worker waits at start for the entity totals topic to be read to its end before scoring.</summary>
    [Range(0, 3_600)]
    public int EntityCatchUpSeconds { get; set; } = 60;

    /// <summary>
    /// The feature spec: <c>card-entity-v1</c> (card, merchant and device features; reads the aggregator's totals) or
    /// <c>card-v1</c> (card features only, no aggregator); must match the trainer's <c>--spec</c>.
    /// </summary>
    [Required, AllowedValues("card-entity-v1", "card-v1")]
    public string FeatureSpecName { get; set; } = "card-entity-v1";

    /// <summary>
    /// Most transactions a second the challenger scores in shadow (one more ONNX call per batch, off the decision path);
    /// a batch over the budget is not shadow scored (counted). 0 turns shadow scoring off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int ShadowMaxRowsPerSecond { get; set; } = 20_000;

    /// <summary>
    /// Which verdicts carry reason codes: <c>flagged</c> (review and decline; approvals get none), <c>all</c> or <c>none</c>.
    /// TreeSHAP costs far more than the inference (docs/BENCHMARKS.md), so explaining every approval cuts throughput.
    /// </summary>
    [Required, AllowedValues("flagged", "all", "none", "Flagged", "All", "None")]
    public string ReasonsFor { get; set; } = "flagged";

    /// <summary><see cref="ReasonsFor"/> as the batch scorer takes it.</summary>
    public ReasonScope ReasonScope() => Enum.Parse<ReasonScope>(ReasonsFor, ignoreCase: true);

    /// <summary>The feature spec this configuration computes.</summary>
    public Shared.Features.FeatureSpec FeatureSpec() =>
        Shared.Features.FeatureSpec.Configure(FeatureSpecName, CardIdleDays, EntityLagHours, ReportHorizonDays);
}
