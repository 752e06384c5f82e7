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
    public void A_merchant_spec_model_loads_only_with_the_table_its_manifest_names()
    {
        var spec = FeatureSpec.CardMerchantV1;
        var onnx = OnnxTreeEnsembleWriter.Write(OnnxTreeEnsembleWriterTests.RandomEnsemble(seed: 3, spec.Count, trees: 5, depth: 3), spec.Names);
        var table = MerchantTableTests.Sample().Serialize();
        var manifest = ContractSamples.Manifest(sha: ModelPackage.Sha256(onnx), spec: spec);
        manifest = manifest with { MerchantTable = manifest.MerchantTable! with { Sha256 = ModelPackage.Sha256(table) } };

        using (var model = LoadedModel.Create(manifest, onnx, spec, table))
        {
            Assert.Equal(table, model.Merchants!.Serialize());
        }

        Assert.Equal(ModelRejectedException.BadMerchantTable, Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(manifest, onnx, spec)).Code);
        var damaged = (byte[])table.Clone();
        damaged[^2] ^= 0x10;
        var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(manifest, onnx, spec, damaged));
        Assert.Equal(ModelRejectedException.BadMerchantTable, ex.Code);
        Assert.Contains("SHA-256", ex.Message, StringComparison.Ordinal);
        // Right SHA-256, wrong bytes: a manifest written for a table that does not parse.
        byte[] notATable = [1, 2, 3];
        var forGarbage = manifest with { MerchantTable = manifest.MerchantTable with { Sha256 = ModelPackage.Sha256(notATable) } };
        Assert.Equal(ModelRejectedException.BadMerchantTable, Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(forGarbage, onnx, spec, notATable)).Code);
        Assert.Equal(ModelRejectedException.BadManifest,
            Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(manifest with { MerchantTable = null }, onnx, spec, table)).Code);

        // Through a folder: merchants.bin beside model.onnx.
        var dir = Directory.CreateTempSubdirectory("fraud-model-").FullName;
        try
        {
            ModelPackage.Write(dir, manifest, onnx, table);
            using (var model = LoadedModel.FromDirectory(dir, spec))
            {
                Assert.Equal(MerchantTableTests.Sample().Lookup("m-a").ToArray(), model.Merchants!.Lookup("m-a").ToArray());
            }
            File.Delete(Path.Combine(dir, ModelPackage.MerchantTableFileName));
            Assert.Equal(ModelRejectedException.BadMerchantTable, Assert.Throws<ModelRejectedException>(() => LoadedModel.FromDirectory(dir, spec)).Code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
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
