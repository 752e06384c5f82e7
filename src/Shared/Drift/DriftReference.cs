using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Drift;

/// <summary>
/// A model's drift reference in the arrays live counting reads: per feature its bin edges and reference shares, the
/// score's, and the categorical values seen in training. Built once per model, off the hot path.
/// </summary>
public sealed class DriftReference
{
    private DriftReference(ModelManifest manifest, BinnedDistribution score)
    {
        Version = manifest.Version;
        Features = manifest.Reference.Select(r => r.Feature).ToArray();
        FeatureEdges = manifest.Reference.Select(r => r.Bins!.Edges.ToArray()).ToArray();
        FeatureShares = manifest.Reference.Select(r => r.Bins!.Shares).ToArray();
        ScoreEdges = score.Edges.ToArray();
        ScoreShares = score.Shares;
        SeenCategories = manifest.Categories is { } categories
            ? CategoricalValues.Fields.Select(f => categories.TryGetValue(f, out var seen) ? seen.ToHashSet() : null).ToArray()
            : new HashSet<int>?[CategoricalValues.Fields.Count];
    }

    public string Version { get; }
    public IReadOnlyList<string> Features { get; }
    public float[][] FeatureEdges { get; }
    public IReadOnlyList<double>[] FeatureShares { get; }
    public float[] ScoreEdges { get; }
    public IReadOnlyList<double> ScoreShares { get; }

    /// <summary>Per field of <see cref="CategoricalValues.Fields"/>, the values seen in training; null when the manifest does not say.</summary>
    public HashSet<int>?[] SeenCategories { get; }

    /// <summary>The reference of a manifest, or null (with the reason) when it carries no binned reference.</summary>
    public static DriftReference? For(ModelManifest manifest, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.ScoreReference is not { } score || manifest.Reference.Any(r => r.Bins is null))
        {
            missing = "its manifest has no binned reference distributions (trained before drift was monitored)";
            return null;
        }
        foreach (var bins in manifest.Reference.Select(r => r.Bins!).Append(score))
        {
            if (bins.Shares.Count != bins.Edges.Count + 1)
            {
                missing = $"a reference has {bins.Shares.Count} shares for {bins.Edges.Count + 1} bins";
                return null;
            }
        }
        missing = null;
        return new DriftReference(manifest, score);
    }
}
