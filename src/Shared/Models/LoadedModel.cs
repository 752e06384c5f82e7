using System.Security.Cryptography;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Onnx;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// A model that passed every check and is warmed up: ready to serve. Built off the hot path; the scorer swaps
/// the reference between batches.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(ModelManifest manifest, OnnxScoringModel onnx, FeatureSpec spec, TreeShap explainer)
    {
        Manifest = manifest;
        Onnx = onnx;
        Spec = spec;
        Explainer = explainer;
        ReferenceMean = manifest.Reference.Select(r => r.Mean).ToArray();
        Drift = DriftReference.For(manifest, out var missing);
        DriftUnavailable = missing;
    }

    public ModelManifest Manifest { get; }
    public OnnxScoringModel Onnx { get; }

    /// <summary>The spec the model reads: the scorer's computed features, then the model's own encoded ones.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>TreeSHAP over the very trees of the artifact, for the verdicts' reasons.</summary>
    public TreeShap Explainer { get; }

    /// <summary>The binned reference live drift is measured against; null when the manifest has none (<see cref="DriftUnavailable"/> says why).</summary>
    public DriftReference? Drift { get; }

    public string? DriftUnavailable { get; }

    public string Version => Manifest.Version;
    internal float[] ReferenceMean { get; }

    /// <summary>
    /// Checks the artifact against the manifest and the running feature spec, loads it and warms it up.
    /// </summary>
    /// <param name="spec">the features the scorer computes as configured (card and entity); the model's encoding is added to it.</param>
    /// <exception cref="ModelRejectedException">the model must not serve; the message says why.</exception>
    public static LoadedModel Create(ModelManifest manifest, byte[] onnxBytes, FeatureSpec spec)
    {
        if (manifest.Thresholds is { } thresholds)
        {
            try
            {
                DecisionPolicy.Validate(thresholds);
            }
            catch (InvalidOperationException ex)
            {
                throw new ModelRejectedException(ModelRejectedException.InvalidThresholds, $"model {manifest.Version}: {ex.Message}", ex);
            }
        }
        // Every field is checked before any is used (times were judged when the manifest came in).
        if (!ManifestValidator.Validate(manifest, EventTimeWindow.FloorOnly, out var invalid))
        {
            throw new ModelRejectedException(ModelRejectedException.BadManifest, $"model {manifest.Version}: {invalid.Detail}");
        }
        // The digest of bytes that are not the model's is not printed: it would tell whoever announced them what a file holds.
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(onnxBytes)), manifest.ArtifactSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelRejectedException(ModelRejectedException.ShaMismatch,
                $"model {manifest.Version}: the artifact's SHA-256 does not match the manifest's");
        }
        spec = ModelPackage.SpecOf(manifest, spec, "this scorer");
        if (manifest.Reference.Count != spec.Count)
        {
            throw new ModelRejectedException(ModelRejectedException.BadManifest,
                $"model {manifest.Version}: manifest has {manifest.Reference.Count} reference distributions for {spec.Count} features");
        }
        var trees = ReadTrees(manifest, onnxBytes, spec);
        var explainer = new TreeShap(trees);
        OnnxScoringModel onnx;
        try
        {
            // The trees read once, for the reasons and for the compiled scoring alike.
            onnx = new OnnxScoringModel(onnxBytes, spec.Count, trees, unread: null);
        }
        catch (Exception ex)
        {
            throw new ModelRejectedException(ModelRejectedException.InvalidModel, $"model {manifest.Version}: ONNX Runtime cannot run it: {ex.Message}", ex);
        }

        var model = new LoadedModel(manifest, onnx, spec, explainer);
        try
        {
            model.WarmUp();
        }
        catch (Exception ex)
        {
            model.Dispose();
            throw new ModelRejectedException(ModelRejectedException.InvalidModel, $"model {manifest.Version}: warm-up failed: {ex.Message}", ex);
        }
        return model;
    }

    /// <summary>The artifact's own trees, read back for the reason codes and the compiled scoring; a model whose trees cannot be read does not serve.</summary>
    private static TreeEnsemble ReadTrees(ModelManifest manifest, byte[] onnxBytes, FeatureSpec spec)
    {
        TreeEnsemble trees;
        try
        {
            trees = OnnxTreeEnsembleReader.Read(onnxBytes);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelRejectedException(ModelRejectedException.InvalidModel, $"model {manifest.Version}: cannot read its trees for reason codes: {ex.Message}", ex);
        }
        if (trees.FeatureCount != spec.Count)
        {
            throw new ModelRejectedException(ModelRejectedException.InvalidModel,
                $"model {manifest.Version}: its trees take {trees.FeatureCount} features, the feature spec has {spec.Count}");
        }
        return trees;
    }

    /// <summary>Reads <c>manifest.json</c> and <c>model.onnx</c> from a model package folder.</summary>
    /// <exception cref="ModelRejectedException">the package is missing, unreadable or fails a check.</exception>
    public static LoadedModel FromDirectory(string directory, FeatureSpec spec)
    {
        var (manifest, onnx) = ModelPackage.Read(directory);
        return Create(manifest, onnx, spec);
    }

    /// <summary>
    /// The first inference in a session pays for lazy initialisation; do it here, off the hot path, and check
    /// that the model answers probabilities for typical rows.
    /// </summary>
    private void WarmUp()
    {
        var rows = 8;
        var features = new float[rows * Onnx.FeatureCount];
        for (var r = 0; r < rows; r++)
        {
            ReferenceMean.CopyTo(features, r * Onnx.FeatureCount);
        }
        var scores = new float[rows];
        Onnx.Score(features, rows, scores);
        foreach (var s in scores)
        {
            if (!(s is >= 0f and <= 1f))
            {
                throw new InvalidOperationException($"model answered {s}, not a probability");
            }
        }
    }

    public void Dispose() => Onnx.Dispose();
}
