using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>
/// Models to score fuzzed traffic with: random trees over the scorer's spec, and manifests whose reference statistics
/// the contract accepts but that stress the reasons (a standard deviation of zero, means at the edge of float32).
/// </summary>
internal static class FuzzModels
{
    public static FeatureSpec Spec => FeatureSpec.CardEntityV1;

    public static byte[] Onnx { get; } = OnnxTreeEnsembleWriter.Write(
        new TreeEnsemble(Spec.Count, 0f, [.. Enumerable.Range(0, 8).Select(t => RandomTrees.Complete(new Random(t), Spec.Count, 4, -2, 30, 1))]), Spec.Names);

    /// <summary>
    /// Merchant and device totals for the entity features: every seed transaction counted (a third of them reported as
    /// fraud), so fuzzed traffic that names a seed's merchant or device reads real totals, the rest reads none.
    /// </summary>
    public static EntityTable Entities(IEnumerable<Transaction> history)
    {
        var table = new EntityTable();
        var i = 0;
        foreach (var t in history)
        {
            table.AddHistory(FeatureInput.Of(t), i++ % 3 == 0 ? t.EventTime.ToUnixTimeMilliseconds() : long.MaxValue, EntityFeatures.DefaultReportHorizonDays);
        }
        return table;
    }

    /// <summary>Three models: ordinary statistics, zero spreads, and means at float32's edge.</summary>
    public static LoadedModel[] All { get; } =
    [
        Load("fuzz-plain", _ => new(0.5f, 1f, -1f, 10f)),
        Load("fuzz-zero-spread", _ => new(0f, 0f, 0f, 0f)),
        Load("fuzz-extreme", i => i % 2 == 0 ? new(-3.4e38f, 1e-30f, -3.4e38f, 3.4e38f) : new(3.4e38f, 0f, -3.4e38f, 3.4e38f)),
    ];

    /// <summary>A manifest of <see cref="Onnx"/> whose per-feature statistics come from <paramref name="reference"/>.</summary>
    public static ModelManifest Manifest(string version, Func<int, (float Mean, float Std, float Min, float Max)> reference) => new()
    {
        ModelName = "fraud-gbdt",
        Version = version,
        CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
        ArtifactUri = "s3://fuzz/model.onnx",
        ArtifactSha256 = ModelPackage.Sha256(Onnx),
        FeatureSpec = new FeatureSpecInfo(Spec.Name, Spec.Hash, Spec.Names),
        Thresholds = new Thresholds(0.4f, 0.8f),
        Training = new TrainingLineage(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), 100, 5, "fuzz", 20),
        Algorithm = "fuzz",
        Device = "cpu",
        CodeVersion = "fuzz",
        Parameters = new Dictionary<string, string>(),
        Metrics = new ModelMetrics(0.5, 0.5, 0.5),
        Reference = [.. Spec.Names.Select((name, i) =>
        {
            var (mean, std, min, max) = reference(i);
            return new FeatureReference(name, mean, std, min, max);
        })],
    };

    private static LoadedModel Load(string version, Func<int, (float, float, float, float)> reference) =>
        LoadedModel.Create(Manifest(version, reference), Onnx, Spec);
}
