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
    public void Reasons_are_the_largest_contributions_to_the_score_and_add_up_with_the_expected_value()
    {
        // amount_log > 5 adds 3 log-odds, is_night adds 1, count_1h > 2 takes 0.5 away; half the training rows went each way.
        var amount = Index("amount_log");
        var night = Index("is_night");
        var velocity = Index("count_1h");
        RegressionTree Stump(int feature, float threshold, float low, float high) =>
            new([feature], [threshold], [~0], [~1], [low, high]) { Cover = [10f, 5f, 5f] };
        var ensemble = new TreeEnsemble(Spec.Count, -2f, [Stump(amount, 5f, 0f, 3f), Stump(night, 0.5f, 0f, 1f), Stump(velocity, 2f, 0f, -0.5f)]);
        var onnx = OnnxTreeEnsembleWriter.Write(ensemble, Spec.Names);
        using var model = LoadedModel.Create(ContractSamples.Manifest(sha: ModelPackage.Sha256(onnx)), onnx, Spec);
        var row = new float[Spec.Count];
        row[amount] = 7f;
        row[night] = 1f;
        row[velocity] = 4f;

        var reasons = new ReasonBuilder(2).Explain(model, row);

        // Each stump's contribution is its value for the row less its average over the training rows.
        Assert.Equal(["amount_log", "is_night"], reasons.Select(r => r.Feature));
        Assert.Equal([1.5f, 0.5f], reasons.Select(r => r.Contribution));
        Assert.Equal(7f, reasons[0].Value);
        var all = new ReasonBuilder(Spec.Count).Explain(model, row);
        Assert.Equal(-0.25f, all.Single(r => r.Feature == "count_1h").Contribution);
        Assert.Equal(ensemble.PredictMargin(row), model.Explainer.ExpectedValue + all.Sum(r => r.Contribution), 4);
    }

    [Fact]
    public void An_artifact_whose_trees_cannot_be_read_back_is_refused()
    {
        // ONNX Runtime would run a BRANCH_LT split, but the reason codes read only the layout our writer produces.
        var proto = Shared.Onnx.Proto.ModelProto.Parser.ParseFrom(Onnx);
        var modes = proto.Graph.Node[0].Attribute.Single(a => a.Name == "nodes_modes");
        modes.Strings[0] = Google.Protobuf.ByteString.CopyFromUtf8("BRANCH_LT");
        var onnx = Google.Protobuf.MessageExtensions.ToByteArray(proto);

        var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(ContractSamples.Manifest(sha: ModelPackage.Sha256(onnx)), onnx, Spec));

        Assert.Equal(ModelRejectedException.InvalidModel, ex.Code);
        Assert.Contains("reason codes", ex.Message, StringComparison.Ordinal);
    }
}
