using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;

namespace Fraud.Streaming.Shared.Tests;

public sealed class LoadedModelTests
{
    private static readonly FeatureSpec Spec = FeatureSpec.CardV1;
    private static readonly byte[] Onnx = OnnxTreeEnsembleWriter.Write(
        OnnxTreeEnsembleWriterTests.RandomEnsemble(seed: 2, Spec.Count, trees: 5, depth: 3), Spec.Names);

    [Fact]
    public void A_consistent_package_loads_and_scores_probabilities()
    {
        using var model = LoadedModel.Create(ContractSamples.Manifest(sha: ModelPackage.Sha256(Onnx)), Onnx, Spec);
        var scores = new float[1];
        model.Onnx.Score(new float[Spec.Count], 1, scores);
        Assert.InRange(scores[0], 0f, 1f);
    }

    [Fact]
    public void An_artifact_that_does_not_match_its_sha_is_refused()
    {
        var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(ContractSamples.Manifest(sha: new string('a', 64)), Onnx, Spec));
        Assert.Equal(ModelRejectedException.ShaMismatch, ex.Code);
    }

    [Fact]
    public void A_model_built_for_another_feature_spec_is_refused()
    {
        var manifest = ContractSamples.Manifest(sha: ModelPackage.Sha256(Onnx));
        manifest = manifest with { FeatureSpec = manifest.FeatureSpec with { Hash = "0000000000000000" } };
        var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(manifest, Onnx, Spec));
        Assert.Equal(ModelRejectedException.FeatureSpecMismatch, ex.Code);
        Assert.Contains(Spec.Hash, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_out_of_order_are_refused()
    {
        var manifest = ContractSamples.Manifest(sha: ModelPackage.Sha256(Onnx), thresholds: new Thresholds(0.9f, 0.2f));
        Assert.Equal(ModelRejectedException.InvalidThresholds, Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(manifest, Onnx, Spec)).Code);
    }

    [Fact]
    public void Bytes_that_are_not_onnx_are_refused()
    {
        byte[] garbage = [1, 2, 3, 4, 5];
        var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(ContractSamples.Manifest(sha: ModelPackage.Sha256(garbage)), garbage, Spec));
        Assert.Equal(ModelRejectedException.InvalidModel, ex.Code);
    }

    [Fact]
    public void A_package_round_trips_through_a_folder()
    {
        var dir = Directory.CreateTempSubdirectory("fraud-model-").FullName;
        try
        {
            ModelPackage.Write(dir, ContractSamples.Manifest(sha: ModelPackage.Sha256(Onnx)), Onnx);
            using var model = LoadedModel.FromDirectory(dir, Spec);
            Assert.Equal("v1", model.Version);
            Assert.Equal(ModelRejectedException.FetchFailed, Assert.Throws<ModelRejectedException>(() => LoadedModel.FromDirectory(Path.Combine(dir, "missing"), Spec)).Code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_entity_spec_model_loads_only_where_the_lag_and_report_horizon_are_its_own()
    {
        var spec = FeatureSpec.CardEntityV1;
        var onnx = OnnxTreeEnsembleWriter.Write(OnnxTreeEnsembleWriterTests.RandomEnsemble(seed: 3, spec.Count, trees: 5, depth: 3), spec.Names);
        var manifest = ContractSamples.Manifest(sha: ModelPackage.Sha256(onnx), spec: spec);
        using (var model = LoadedModel.Create(manifest, onnx, spec))
        {
            Assert.Equal(spec.Hash, model.Manifest.FeatureSpec.Hash);
        }
        foreach (var other in new[] { FeatureSpec.Configure(30, 24, 120), FeatureSpec.Configure(30, 3, 90), FeatureSpec.Configure(7, 3, 120) })
        {
            Assert.Equal(spec.Names, other.Names);
            var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(manifest, onnx, other));
            Assert.Equal(ModelRejectedException.FeatureSpecMismatch, ex.Code);
        }
    }

    private static int Index(string name) => Spec.Names.ToList().IndexOf(name);

    [Fact]
    public void Reasons_name_the_features_furthest_from_the_training_reference()
    {
        using var model = LoadedModel.Create(ContractSamples.Manifest(sha: ModelPackage.Sha256(Onnx)), Onnx, Spec);
        var row = new float[Spec.Count];
        row[Index("is_night")] = 5f;
        row[Index("count_1h")] = -9f;
        row[Index("hour_sin")] = 2f;
        var reasons = ReasonBuilder.Top(model, row, 2);
        Assert.Equal(["count_1h", "is_night"], reasons.Select(r => r.Feature));
        Assert.Equal(9f, reasons[0].Contribution);
    }
}
