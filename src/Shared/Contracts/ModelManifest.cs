namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// Everything a scorer needs to trust and run a model, and everything a person needs to know where it came from.
/// Published on <c>fraud.models</c> (compacted, key = <see cref="ModelName"/>) and stored beside the ONNX artifact.
/// </summary>
public sealed record ModelManifest
{
    public required string ModelName { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string ArtifactUri { get; init; }
    public required string ArtifactSha256 { get; init; }
    public required FeatureSpecInfo FeatureSpec { get; init; }
    public required Thresholds Thresholds { get; init; }
    public required TrainingLineage Training { get; init; }
    public required string Algorithm { get; init; }
    public required string Device { get; init; }
    public required string CodeVersion { get; init; }
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required ModelMetrics Metrics { get; init; }

    /// <summary>Per-feature distribution of the training data, in <see cref="FeatureSpecInfo.Features"/> order.</summary>
    public required IReadOnlyList<FeatureReference> Reference { get; init; }

    /// <summary>
    /// The score's distribution on the holdout (the newest labelled rows, scored by the exported model): the reference
    /// the score's drift is measured against. Null in manifests written before drift was monitored.
    /// </summary>
    public BinnedDistribution? ScoreReference { get; init; }

    /// <summary>
    /// The categorical values the training transactions carried, as the feature pipeline reduces them
    /// (<see cref="Drift.CategoricalValues"/>): per field (<c>channel</c>, <c>merchant_category</c>, <c>country</c>), the
    /// sorted codes or hashes seen. A live value outside its set is "unseen", a drift signal. Null in older manifests.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>>? Categories { get; init; }
}

public sealed record FeatureSpecInfo(string Name, string Hash, IReadOnlyList<string> Features)
{
    /// <summary>The vocabularies and attributes the model encodes with (covered by <see cref="Hash"/>); null: none.</summary>
    public FeatureEncodingInfo? Encoding { get; init; }
}

/// <summary>Score cut-offs: at or above <see cref="Review"/> a transaction is reviewed, at or above <see cref="Decline"/> declined.</summary>
public sealed record Thresholds(float Review, float Decline);

public sealed record TrainingLineage(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long RowCount,
    long FraudCount,
    string ContentHash,
    long HoldoutRowCount)
{
    /// <summary>Point in time the run trained as of: transactions before it, reports received at or before it.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Days without a fraud report after which a transaction counted as genuine (as of <see cref="AsOf"/>).</summary>
    public int? LabelMaturityDays { get; init; }

    /// <summary>Transactions not trained on because, as of <see cref="AsOf"/>, they were neither reported nor matured.</summary>
    public long? UnmaturedRowCount { get; init; }
}

public sealed record ModelMetrics(
    double RocAuc,
    double PrAuc,
    [property: System.Text.Json.Serialization.JsonPropertyName("recall_at_1pct_fpr")] double RecallAt1PctFpr);

/// <summary>Training-time distribution of one feature: the drift reference.</summary>
public sealed record FeatureReference(string Feature, float Mean, float StdDev, float Min, float Max)
{
    /// <summary>Quantile bins of the run's labelled rows (<see cref="BinnedDistribution"/>); null in manifests written before drift was monitored.</summary>
    public BinnedDistribution? Bins { get; init; }
}

/// <summary>
/// A distribution as quantile bins: ascending, distinct <see cref="Edges"/> cut the line into <c>Edges.Count + 1</c> bins
/// (bin 0 is <c>x ≤ Edges[0]</c>, bin i is <c>Edges[i-1] &lt; x ≤ Edges[i]</c>, the last is <c>x &gt; Edges[^1]</c>), and
/// <see cref="Shares"/> holds the fraction of the reference rows in each (they sum to 1). Live data binned the same way
/// is compared with it by the population stability index (<see cref="Drift.Psi"/>).
/// </summary>
public sealed record BinnedDistribution(IReadOnlyList<float> Edges, IReadOnlyList<double> Shares);
