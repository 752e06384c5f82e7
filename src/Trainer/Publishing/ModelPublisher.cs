using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Scheduling;
using Fraud.Streaming.Trainer.Training;
using Npgsql;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>
/// What a registering training run does with the shared world, in this order: before training, announce a champion that
/// never was and decide whether a run is due; after training, store the package (verified), register it (one
/// transaction, compared with the champion on the same holdout), close the retrain requests and announce it.
/// </summary>
internal sealed class ModelPublisher(TrainSettings settings, NpgsqlDataSource dataSource, AnnouncementSigner? signer, TextWriter output,
    TextWriter error, RunLog log)
{
    private readonly RunLog _log = log;
    private readonly ModelRegistry _registry = new(dataSource);
    private readonly RetrainSchedule _schedule = new(new ModelRegistry(dataSource), new RetrainRequestStore(dataSource), settings.ModelName);
    private ScheduleDecision? _decision;

    /// <summary>Before training: null to go on, else the exit code to end the run with (nothing due, or a pending announcement failed).</summary>
    public async Task<int?> PrepareAsync(CancellationToken cancellationToken)
    {
        if (settings.Announce && await AnnouncePendingChampionAsync(_registry, signer, cancellationToken) is { } failed)
        {
            return failed;
        }
        if (signer is null && settings.Announce)
        {
            TrainerLog.Unsigned(TrainerLog.For(error));
        }
        _decision = await DecideAsync(_schedule, cancellationToken);
        if (!_decision.Train)
        {
            await output.WriteLineAsync($"[schedule] {_decision.Why}");
            return ExitCodes.Ok;
        }
        return null;
    }

    /// <summary>True when this window, spec and parameters are registered already (the requests are closed by that version).</summary>
    public async Task<bool> AlreadyRegisteredAsync(string contentHash, string specHash, CancellationToken cancellationToken)
    {
        if (await _registry.FindByContentAsync(settings.ModelName, contentHash, specHash, cancellationToken) is not { } existing)
        {
            return false;
        }
        await output.WriteLineAsync(
            $"model {settings.ModelName}: this data window, feature spec and parameters are already registered as {existing.Version} ({existing.Status}); nothing to do");
        await CloseRequestsAsync(_schedule, _decision!, existing.Version, cancellationToken);
        return true;
    }

    /// <summary>Store (verified), then registry, then announce; <paramref name="mirror"/> rewrites --out with the stored manifest.</summary>
    public async Task<PublishOutcome> PublishAsync(ModelManifest manifest, byte[] onnx, FeatureTable holdout, Action<ModelManifest> mirror,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (await StoreAsync(manifest, onnx, cancellationToken) is not { } stored)
        {
            return new PublishOutcome(ExitCodes.StoreFailed);
        }
        manifest = stored;
        mirror(manifest);
        _log.Phase("store", watch.Elapsed, $"artifact {manifest.ArtifactUri} (SHA-256 verified)");

        var comparison = await MeasureChampionAsync(_registry, holdout, cancellationToken);
        var registration = await RegisterAsync(manifest, comparison, cancellationToken);
        await CloseRequestsAsync(_schedule, _decision!, registration.Version, cancellationToken);
        if (!registration.Registered)
        {
            await output.WriteLineAsync($"model {settings.ModelName}: already registered as {registration.Version}; nothing announced");
            return new PublishOutcome(ExitCodes.Ok);
        }
        _log.Line("register", registration.IsChampion
            ? $"{manifest.Version} registered as champion{(registration.PreviousChampion is { } previous ? $" (was {previous})" : "")}"
            : TrainJob.Invariant($"{manifest.Version} registered, not promoted: roc_auc {manifest.Metrics.RocAuc:F4} is below the champion's{(comparison is null ? "" : $" {comparison.ChampionRocAucOnHoldout:F4} on this holdout")} plus the margin {settings.PromoteMargin}"));
        if (registration.IsChallenger)
        {
            _log.Line("register", $"{manifest.Version} is the challenger: scorers score it in shadow beside the champion");
        }
        if ((registration.IsChampion || registration.IsChallenger) && settings.Announce
            && await AnnounceAsync(_registry, manifest, signer, cancellationToken, registration.IsChallenger,
                registration.IsChampion ? registration.PreviousChallenger : null) is { } notAnnounced)
        {
            return new PublishOutcome(notAnnounced);
        }
        return new PublishOutcome(ExitCodes.Ok, manifest, registration.IsChampion);
    }

    /// <summary>The manifest pointing at the stored artifact; null when the store failed (the error is written, nothing is registered).</summary>
    private async Task<ModelManifest?> StoreAsync(ModelManifest manifest, byte[] onnx, CancellationToken cancellationToken)
    {
        try
        {
            var store = ModelStoreFactory.Create(settings.Store);
            try
            {
                var uri = await store.PutAsync(settings.ModelName, manifest.Version, ModelPackage.OnnxFileName, onnx, cancellationToken);
                manifest = manifest with { ArtifactUri = uri };
                await store.PutAsync(settings.ModelName, manifest.Version, ModelPackage.ManifestFileName, ContractJson.Serialize(manifest), cancellationToken);
                return manifest;
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: model store failed, nothing registered: {PostgresAccess.OneLine(ex)}");
            return null;
        }
    }

    private async Task<RegistrationResult> RegisterAsync(ModelManifest manifest, ChampionComparison? comparison, CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.RegisterAsync(manifest, settings.PromoteMargin, cancellationToken, comparison, settings.Challenge);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException(
                $"registering {manifest.Version} in {PostgresAddress.Describe(settings.PostgresConnectionString)} failed (artifact stored at {manifest.ArtifactUri}, not registered): {PostgresAccess.OneLine(ex)}", ex);
        }
    }

    private async Task<ScheduleDecision> DecideAsync(RetrainSchedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            var decision = await schedule.DecideAsync(settings.ScheduleHours, DateTimeOffset.UtcNow, cancellationToken);
            if (decision.Train && decision.Why.Length > 0)
            {
                _log.Line("schedule", decision.Why);
            }
            return decision;
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"reading retrain requests from {PostgresAddress.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
    }

    /// <summary>The requests open when the run started are answered by the version the data produced, new or not.</summary>
    private async Task CloseRequestsAsync(RetrainSchedule schedule, ScheduleDecision decision, string version, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var id in await schedule.CloseAsync(decision, version, cancellationToken))
            {
                _log.Line("schedule", $"retrain request #{id} closed by {version}");
            }
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"closing retrain requests in {PostgresAddress.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
    }

    /// <summary>
    /// Announces the champion and records it, or the challenger (and a new champion withdraws the challenger it
    /// displaced); null when done, else the exit code (the error is written).
    /// </summary>
    private async Task<int?> AnnounceAsync(ModelRegistry registry, ModelManifest manifest, AnnouncementSigner? signer, CancellationToken cancellationToken,
                                           bool challenger = false, string? endedChallenger = null)
    {
        try
        {
            using var announcer = new ModelAnnouncer(settings.Kafka, settings.AnnounceTimeout, signer);
            var at = challenger
                ? await announcer.AnnounceChallengerAsync(manifest, cancellationToken)
                : await announcer.AnnounceAsync(manifest, cancellationToken);
            if (!challenger)
            {
                await registry.MarkAnnouncedAsync(manifest.ModelName, manifest.Version, cancellationToken);
            }
            _log.Line("announce", $"{manifest.Version} on {at}{(challenger ? " (challenger)" : "")}{(signer is null ? " (unsigned)" : $" (signed by key {signer.KeyId})")}");
            if (endedChallenger is not null)
            {
                await announcer.WithdrawChallengerAsync(settings.ModelName, cancellationToken);
                _log.Line("announce", $"challenger {endedChallenger} withdrawn: the new champion ends the comparison");
            }
            return null;
        }
        catch (KafkaException ex)
        {
            await error.WriteLineAsync(
                $"error: {manifest.Version} is registered as {(challenger ? "challenger" : "champion")} but NOT announced on {settings.Kafka.ModelsTopic} ({settings.Kafka.BootstrapServers}): {ex.Error.Reason}; the next train run announces it (or run `models promote {manifest.Version}`)");
            return ExitCodes.KafkaFailed;
        }
    }

    /// <summary>
    /// A champion the registry holds but that was never announced (an announce that failed, a run with
    /// <c>--no-announce</c>, a promotion by hand without one) is announced first, after its stored artifact is checked.
    /// </summary>
    private async Task<int?> AnnouncePendingChampionAsync(ModelRegistry registry, AnnouncementSigner? signer, CancellationToken cancellationToken)
    {
        var champion = await registry.GetChampionAsync(settings.ModelName, cancellationToken);
        if (champion is null || champion.AnnouncedAt is not null)
        {
            return null;
        }
        var manifest = ContractJson.DeserializeManifest(System.Text.Encoding.UTF8.GetBytes(champion.Manifest));
        try
        {
            await new ArtifactFetcher(settings.Store).VerifyAsync(manifest, cancellationToken);
        }
        catch (ModelRejectedException ex)
        {
            await error.WriteLineAsync($"error: champion {champion.Version} was never announced, and its stored artifact fails its check ({ex.Code}): {ex.Message}");
            return ExitCodes.StoreFailed;
        }
        _log.Line("announce", $"champion {champion.Version} was registered but never announced; announcing it now");
        return await AnnounceAsync(registry, manifest, signer, cancellationToken);
    }

    /// <summary>
    /// Scores the challenger's holdout with the current champion, so promotion compares both on the same rows: the same
    /// computed features, encoded with the champion's own vocabularies. Null (fall back to the stored figure) when there
    /// is no champion, it was built for other computed features or other attributes, or its artifact cannot be fetched or
    /// run: the reason is logged.
    /// </summary>
    private async Task<ChampionComparison?> MeasureChampionAsync(ModelRegistry registry, FeatureTable holdout, CancellationToken cancellationToken)
    {
        ModelVersionRow? champion;
        try
        {
            champion = await registry.GetChampionAsync(settings.ModelName, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"reading the champion from {PostgresAddress.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
        if (champion is null)
        {
            return null;
        }
        try
        {
            var watch = Stopwatch.StartNew();
            // The champion reads the same computed features with its own vocabularies: encode the holdout its way.
            var championSpec = ModelPackage.SpecOf(ContractJson.DeserializeManifest(System.Text.Encoding.UTF8.GetBytes(champion.Manifest)), settings.Spec, "this trainer");
            holdout = holdout.Encode(championSpec.Encoding);
            var fetcher = new ArtifactFetcher(settings.Store);
            var artifact = await fetcher.FetchAsync(champion.ArtifactUri, cancellationToken);
            if (ModelPackage.Sha256(artifact) != champion.ArtifactSha256)
            {
                _log.Line("compare", $"champion {champion.Version}: fetched artifact does not match its SHA-256; comparing stored ROC-AUC instead");
                return null;
            }
            var auc = new BinaryEvaluator(TrainJob.ScoreWithOnnx(artifact, holdout, championSpec.Count), holdout.Labels).RocAuc();
            _log.Phase("compare", watch.Elapsed, TrainJob.Invariant($"champion {champion.Version} on this holdout: roc_auc={auc:F4}"));
            return new ChampionComparison(champion.Version, auc);
        }
        catch (Exception ex) when (ex is ModelRejectedException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException
                                       or System.Text.Json.JsonException or IOException)
        {
            _log.Line("compare", $"champion {champion.Version} could not be scored on this holdout ({ex.Message}); comparing stored ROC-AUC instead");
            return null;
        }
    }
}
