using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Turns an announced manifest into the serving model: fetches the artifact by its URI, lets
/// <see cref="LoadedModel.Create"/> check and warm it up (off the hot path), then publishes it to the
/// <see cref="ModelHolder"/>. A model that fails any step is refused and the serving one stays.
/// </summary>
/// <param name="spec">the spec the scorer computes (with its card idle time); <see cref="BatchScorer.Spec"/> when null.</param>
/// <param name="challenger">this updater loads the challenger, scored in shadow (its own holder and metrics), not the champion.</param>
internal sealed class ModelUpdater(
    ModelHolder holder,
    ILogger<ModelUpdater> logger,
    Func<string, CancellationToken, Task<byte[]>>? fetchArtifact = null,
    FeatureSpec? spec = null,
    bool challenger = false)
{
    private readonly FeatureSpec _spec = spec ?? BatchScorer.Spec;
    private readonly Func<string, CancellationToken, Task<byte[]>> _fetchArtifact = fetchArtifact ?? new ArtifactFetcher(new ModelStoreOptions()).FetchAsync;

    public ModelHolder Holder => holder;

    /// <summary>Loads and publishes the model, unless it is the one already serving.</summary>
    /// <returns>True when the announced model now serves.</returns>
    public async Task<bool> OfferAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        var serving = holder.CurrentVersion;
        if (serving == manifest.Version)
        {
            ScorerLog.ModelAlreadyServing(logger, manifest.Version);
            return false;
        }

        LoadedModel model;
        try
        {
            byte[] artifact;
            try
            {
                artifact = await _fetchArtifact(manifest.ArtifactUri, cancellationToken);
            }
            catch (ModelRejectedException ex)
            {
                throw new ModelRejectedException(ex.Code, $"model {manifest.Version}: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ModelRejectedException(ModelRejectedException.FetchFailed,
                    $"model {manifest.Version}: cannot fetch {manifest.ArtifactUri}: {ex.Message}", ex);
            }
            model = await Task.Run(() => LoadedModel.Create(manifest, artifact, _spec), cancellationToken);
        }
        catch (ModelRejectedException ex)
        {
            Reject(manifest.Version, ex);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever else goes wrong loading an announced model, it does not serve and the watcher goes on.
            Reject(manifest.Version, new ModelRejectedException(ModelRejectedException.InvalidModel, $"model {manifest.Version}: {ex.Message}", ex));
            return false;
        }

        Publish(model);
        return true;
    }

    /// <summary>Loads a model package folder and publishes it.</summary>
    /// <exception cref="ModelRejectedException">the package must not serve.</exception>
    public void LoadInitial(string directory)
    {
        LoadedModel model;
        try
        {
            model = LoadedModel.FromDirectory(directory, _spec);
        }
        catch (ModelRejectedException ex)
        {
            Reject(directory, ex);
            throw;
        }
        Publish(model);
    }

    /// <summary>Records a refused model: a log line and a metric; the serving model is untouched.</summary>
    public void Reject(string model, ModelRejectedException ex)
    {
        ScorerMetrics.ModelRejected.WithLabels(ex.Code).Inc();
        ScorerLog.ModelRejected(logger, model, ex.Code, ex.Message, holder.CurrentVersion ?? "none");
    }

    /// <summary>Ends the challenge: the challenger stops being scored.</summary>
    public void Withdraw()
    {
        if (holder.Withdraw() is { } version)
        {
            ScorerMetrics.ShadowModelInfo.WithLabels(version).Set(0);
            ScorerLog.ChallengerWithdrawn(logger, version);
        }
    }

    private void Publish(LoadedModel model)
    {
        var old = holder.Publish(model);
        if (challenger)
        {
            if (old is not null && old.Version != model.Version)
            {
                ScorerMetrics.ShadowModelInfo.WithLabels(old.Version).Set(0);
            }
            ScorerMetrics.ShadowModelInfo.WithLabels(model.Version).Set(1);
            ScorerLog.ChallengerLoaded(logger, model.Version, model.Manifest.ArtifactUri, model.Onnx.Engine);
            return;
        }
        ScorerMetrics.ModelInfo.WithLabels(model.Version).Set(1);
        if (!model.Onnx.IsCompiled)
        {
            ScorerLog.NotCompiled(logger, model.Version, model.Onnx.Engine);
        }
        if (old is null)
        {
            ScorerLog.ModelLoaded(logger, model.Version, model.Manifest.ArtifactUri, model.Onnx.Engine);
            return;
        }
        if (old.Version != model.Version)
        {
            ScorerMetrics.ModelInfo.WithLabels(old.Version).Set(0);
        }
        ScorerMetrics.ModelSwaps.Inc();
        ScorerLog.ModelSwapped(logger, old.Version, model.Version, model.Onnx.Engine);
    }
}
