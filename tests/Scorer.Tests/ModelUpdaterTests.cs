using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class ModelUpdaterTests : IDisposable
{
    private readonly ModelHolder _holder = new();
    private readonly Dictionary<string, byte[]> _artifacts = [];
    private readonly ModelUpdater _updater;

    public ModelUpdaterTests()
    {
        _updater = new ModelUpdater(_holder, NullLogger<ModelUpdater>.Instance, (uri, _) =>
            _artifacts.TryGetValue(uri, out var bytes) ? Task.FromResult(bytes) : throw new FileNotFoundException($"no artifact at {uri}"));
    }

    private ModelManifest Announce(string version, int seed, Thresholds? thresholds = null)
    {
        var onnx = TestModels.Onnx(seed);
        var uri = $"s3://mem/{version}/model.onnx";
        _artifacts[uri] = onnx;
        return TestModels.Manifest(version, onnx, uri, thresholds);
    }

    private static double Rejected(string code) => ScorerMetrics.ModelRejected.WithLabels(code).Value;

    private async Task ServingV1()
    {
        Assert.True(await _updater.OfferAsync(Announce("v1", seed: 1), CancellationToken.None));
        Assert.Equal("v1", _holder.AcquireForBatch()?.Version);
    }

    [Fact]
    public async Task A_good_model_swaps_in_between_batches()
    {
        await ServingV1();
        var swaps = ScorerMetrics.ModelSwaps.Value;

        Assert.True(await _updater.OfferAsync(Announce("v2", seed: 2), CancellationToken.None));

        Assert.Equal("v2", _holder.AcquireForBatch()?.Version);
        Assert.Equal(swaps + 1, ScorerMetrics.ModelSwaps.Value);
        Assert.Equal(1, ScorerMetrics.ModelInfo.WithLabels("v2").Value);
        Assert.Equal(0, ScorerMetrics.ModelInfo.WithLabels("v1").Value);
    }

    [Fact]
    public async Task A_model_whose_artifact_does_not_match_its_sha_is_refused_and_the_old_one_serves()
    {
        await ServingV1();
        var before = Rejected(ModelRejectedException.ShaMismatch);
        var manifest = Announce("v2", seed: 2);
        _artifacts[manifest.ArtifactUri] = TestModels.Onnx(seed: 3);

        Assert.False(await _updater.OfferAsync(manifest, CancellationToken.None));

        Assert.Equal("v1", _holder.AcquireForBatch()?.Version);
        Assert.Equal(before + 1, Rejected(ModelRejectedException.ShaMismatch));
    }

    [Fact]
    public async Task A_model_for_another_feature_spec_is_refused_and_the_old_one_serves()
    {
        await ServingV1();
        var before = Rejected(ModelRejectedException.FeatureSpecMismatch);
        var manifest = Announce("v2", seed: 2);
        manifest = manifest with { FeatureSpec = manifest.FeatureSpec with { Hash = "0123456789abcdef" } };

        Assert.False(await _updater.OfferAsync(manifest, CancellationToken.None));

        Assert.Equal("v1", _holder.AcquireForBatch()?.Version);
        Assert.Equal(before + 1, Rejected(ModelRejectedException.FeatureSpecMismatch));
    }

    [Fact]
    public async Task A_model_with_bad_thresholds_is_refused_and_the_old_one_serves()
    {
        await ServingV1();
        var before = Rejected(ModelRejectedException.InvalidThresholds);

        Assert.False(await _updater.OfferAsync(Announce("v2", seed: 2, new Thresholds(0.9f, 0.4f)), CancellationToken.None));

        Assert.Equal("v1", _holder.AcquireForBatch()?.Version);
        Assert.Equal(before + 1, Rejected(ModelRejectedException.InvalidThresholds));
    }

    [Fact]
    public async Task A_model_that_cannot_be_fetched_is_refused_and_the_old_one_serves()
    {
        await ServingV1();
        var before = Rejected(ModelRejectedException.FetchFailed);
        var manifest = Announce("v2", seed: 2) with { ArtifactUri = "s3://mem/missing" };

        Assert.False(await _updater.OfferAsync(manifest, CancellationToken.None));

        Assert.Equal("v1", _holder.AcquireForBatch()?.Version);
        Assert.Equal(before + 1, Rejected(ModelRejectedException.FetchFailed));
    }

    [Fact]
    public async Task A_re_announcement_of_the_serving_version_is_ignored()
    {
        await ServingV1();
        var serving = _holder.Current;
        var swaps = ScorerMetrics.ModelSwaps.Value;

        Assert.False(await _updater.OfferAsync(Announce("v1", seed: 1), CancellationToken.None));

        Assert.Same(serving, _holder.AcquireForBatch());
        Assert.Equal(swaps, ScorerMetrics.ModelSwaps.Value);
    }

    [Fact]
    public async Task The_fetcher_reads_file_uris_inside_the_store_and_refuses_other_schemes_and_buckets()
    {
        using var dir = new TempDirectory();
        var manifest = TestModels.WritePackage(dir.File("fraud-gbdt/v-file"), "v-file", seed: 4);
        var fetcher = new ArtifactFetcher(new ModelStoreOptions { Folder = dir.Path });

        var bytes = await fetcher.FetchAsync(manifest.ArtifactUri, CancellationToken.None);

        Assert.Equal(manifest.ArtifactSha256, ModelPackage.Sha256(bytes));
        var unknown = await Assert.ThrowsAsync<ModelRejectedException>(() => fetcher.FetchAsync("ftp://host/model.onnx", CancellationToken.None));
        Assert.Equal(ModelRejectedException.FetchFailed, unknown.Code);
        var otherBucket = await Assert.ThrowsAsync<ModelRejectedException>(() => fetcher.FetchAsync("s3://bucket/key", CancellationToken.None));
        Assert.Equal(ArtifactFetcher.OutsideStore, otherBucket.Code);
    }

    [Fact]
    public async Task The_holder_gives_the_loop_one_model_per_batch_and_signals_the_first()
    {
        Assert.False(_holder.FirstModel.IsCompleted);
        Assert.Null(_holder.AcquireForBatch());

        await ServingV1();

        Assert.True(_holder.FirstModel.IsCompletedSuccessfully);
    }

    public void Dispose() => _holder.Dispose();
}
