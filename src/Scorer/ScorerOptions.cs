using System.ComponentModel.DataAnnotations;

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
}
