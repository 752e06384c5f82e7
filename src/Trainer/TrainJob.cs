using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Confluent.Kafka;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Shared.Progress;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Publishing;
using Fraud.Streaming.Trainer.Scheduling;
using Fraud.Streaming.Trainer.Training;
using Npgsql;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// One training run. The steps go from local to shared, so a failure leaves nothing half-done:
/// read → features → time split → vocabularies (training slice) → train → export check → thresholds (validation) → evaluate (holdout) →
/// write --out → put in the store (verified) → register (one transaction) → announce. A later step never runs after an earlier one failed.
/// </summary>
internal sealed class TrainJob(TrainSettings settings, TextWriter output, TextWriter error, ProgressDisplay? progress = null,
    Metrics.TrainingMetrics? metrics = null)
{
    private readonly ProgressDisplay _progress = progress ?? new ProgressDisplay(TextWriter.Null, interactive: false, line => output.WriteLine($"[train] {line}"));

    private readonly List<KeyValuePair<string, TimeSpan>> _timings = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        AnnouncementSigner? signer;
        try
        {
            settings.Validate();
            signer = settings.Register && settings.Announce ? AnnouncementSigner.From(settings.Signing) : null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: {PostgresAccess.OneLine(ex)}");
            return ExitCodes.BadUsage;
        }
        try
        {
            return await RunCoreAsync(signer, cancellationToken);
        }
        catch (DeviceUnavailableException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.DeviceUnavailable;
        }
        catch (PostgresUnavailableException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.PostgresUnavailable;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidDataException or IOException
                                       or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {PostgresAccess.OneLine(ex)}");
            return ExitCodes.Failed;
        }
    }

    private async Task<int> RunCoreAsync(AnnouncementSigner? signer, CancellationToken cancellationToken)
    {
        var spec = settings.Spec;
        var layout = settings.ReadLayout();
        var needsPostgres = settings.Register || !settings.FromFiles;
        await using var dataSource = needsPostgres ? await PostgresAccess.OpenAsync(settings.PostgresConnectionString, cancellationToken) : null;
        var registry = settings.Register ? new ModelRegistry(dataSource!) : null;
        if (registry is not null && settings.Announce && await AnnouncePendingChampionAsync(registry, signer, cancellationToken) is { } failed)
        {
            return failed;
        }
        if (signer is null && registry is not null && settings.Announce)
        {
            await error.WriteLineAsync("warning: no signing key (Signing:PrivateKeyFile or Signing:PrivateKey): announcements go unsigned, and scorers that trust keys refuse them");
        }
        var schedule = registry is null ? null : new RetrainSchedule(registry, new RetrainRequestStore(dataSource!), settings.ModelName);
        var decision = schedule is null ? null : await DecideAsync(schedule, cancellationToken);
        if (decision is { Train: false })
        {
            await output.WriteLineAsync($"[schedule] {decision.Why}");
            return ExitCodes.Ok;
        }

        // Read and featurise in one pass: the pipeline sees every transaction, in order.
        IHistorySource source = settings.FromFiles
            ? new JsonlHistorySource(settings.TransactionsPath!, settings.LabelsPath!, settings.MaxFutureSkew, layout)
            : new PostgresHistorySource(dataSource!, maxFutureSkew: settings.MaxFutureSkew, layout: layout);
        var watch = Stopwatch.StartNew();
        TrainingData data;
        try
        {
            data = await TrainingData.ReadAsync(source, spec, settings.AsOf, settings.LabelMaturityDays, cancellationToken, layout);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"reading history from {PostgresAccess.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
        var all = data.All;
        Phase("read+features", watch.Elapsed,
            $"{data.Transactions} transactions ({all.RowCount} training rows, {all.FraudCount} fraud, {data.Cards} cards) from {source.Description}, {Rate(data.Transactions, watch.Elapsed)} rows/s");
        Log("read+features", Invariant(
            $"as of {data.AsOf:O}: {data.Unmatured} transactions neither reported nor {data.MaturityDays} days old without a report are not trained on"));
        if (source.Refusals.Describe("history rows") is { } refused)
        {
            Log("read+features", refused);
        }
        if (source is JsonlHistorySource { OrphanLabels: > 0 } files)
        {
            Log("read+features", $"{files.OrphanLabels} labels name no transaction in the file and were ignored");
        }
        if (all.RowCount < 10)
        {
            throw new InvalidOperationException($"only {all.RowCount} labelled transactions: too few to train and evaluate");
        }

        // Vocabularies from the training slice alone: validation and holdout rows meet them as new traffic would.
        watch.Restart();
        var training = TimeSplit.Of(all, settings.ValidationFraction, settings.HoldoutFraction).Train;
        var encoding = VocabularyFitter.Fit(training, settings.Vocabulary);
        spec = spec.WithEncoding(encoding);
        all = all.Encode(encoding);
        Phase("vocabularies", watch.Elapsed, Invariant(
            $"from {training.RowCount} training rows: {string.Join(", ", Enumerable.Range(0, layout.SlotCount).Where(layout.IsCategorical).Select(s => $"{layout.SlotName(s)} {encoding.VocabularyOf(s)!.Count}"))} values; {layout.Attributes.Count} attributes; spec {spec.Name}/{spec.Hash}"));

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["holdout_fraction"] = Invariant(settings.HoldoutFraction),
            ["label_maturity_days"] = Invariant(settings.LabelMaturityDays),
            ["validation_fraction"] = Invariant(settings.ValidationFraction),
            ["thresholds"] = settings.ThresholdMode == ThresholdMode.Cost ? "cost" : "fpr",
            ["vocabulary_max_size"] = Invariant(settings.Vocabulary.MaxSize),
            ["vocabulary_min_count"] = Invariant(settings.Vocabulary.MinCount),
        };
        if (settings.ThresholdMode == ThresholdMode.Cost)
        {
            parameters["cost_missed_fraud"] = Invariant(settings.Costs.MissedFraud);
            parameters["cost_review"] = Invariant(settings.Costs.Review);
            parameters["cost_declined_good"] = Invariant(settings.Costs.DeclinedGood);
        }
        else
        {
            parameters["review_fpr"] = Invariant(settings.ReviewFpr);
            parameters["decline_fpr"] = Invariant(settings.DeclineFpr);
        }
        var algorithm = settings.Algorithm == TrainAlgorithm.Gbdt ? OurGbdt.AlgorithmName : LightGbmBaseline.AlgorithmName;
        foreach (var (key, value) in settings.Algorithm == TrainAlgorithm.Gbdt ? OurGbdt.Describe(settings.Gbdt) : settings.LightGbm.Describe())
        {
            parameters[key] = value;
        }
        // Device and threads stay out: they do not change the model, so the same window on another machine is no new version.
        var contentHash = ContentHash.Compute(all, spec.Hash, parameters.Append(new("algorithm", algorithm)));

        if (registry is not null
            && await registry.FindByContentAsync(settings.ModelName, contentHash, spec.Hash, cancellationToken) is { } existing)
        {
            await output.WriteLineAsync(
                $"model {settings.ModelName}: this data window, feature spec and parameters are already registered as {existing.Version} ({existing.Status}); nothing to do");
            await CloseRequestsAsync(schedule!, decision!, existing.Version, cancellationToken);
            return ExitCodes.Ok;
        }

        // Time-based split, oldest to newest: train | validation (early stopping, thresholds) | holdout (evaluation only).
        var split = TimeSplit.Of(all, settings.ValidationFraction, settings.HoldoutFraction);
        var (train, validation, holdout) = (split.Train, split.Validation, split.Holdout);
        if (holdout.FraudCount == 0 || holdout.FraudCount == holdout.RowCount)
        {
            throw new InvalidOperationException($"the holdout ({holdout.RowCount} newest labelled rows) has {holdout.FraudCount} fraud: both classes are needed to evaluate");
        }
        if (validation.FraudCount == 0)
        {
            Log("split", $"the validation slice ({validation.RowCount} rows) has no fraud: thresholds will flag almost nothing");
        }

        watch.Restart();
        ITrainedModel model;
        string trainedWhat;
        if (settings.Algorithm == TrainAlgorithm.Gbdt)
        {
            var rounds = new RoundProgress(_progress);
            OurGbdt gbdt;
            try
            {
                gbdt = OurGbdt.Train(train, validation, settings.GbdtWithDevice, rounds, cancellationToken);
            }
            catch (NotSupportedException ex)
            {
                throw new DeviceUnavailableException($"--device {DeviceName(settings.Device)}: {PostgresAccess.OneLine(ex)}", ex);
            }
            finally
            {
                _progress.Finish();
            }
            trainedWhat = Invariant($"{gbdt.Model.Trees.Count} trees (best round {gbdt.Model.BestRound} of {settings.Gbdt.Rounds}) x depth ≤ {settings.Gbdt.MaxDepth}");
            model = gbdt;
        }
        else
        {
            var lightGbm = LightGbmBaseline.Train(train, settings.LightGbm);
            trainedWhat = $"{settings.LightGbm.Rounds} rounds x {settings.LightGbm.Leaves} leaves, {lightGbm.Ensemble.Trees.Count} trees";
            model = lightGbm;
        }
        Phase("train", watch.Elapsed, $"{algorithm} on {model.Device} ({model.DeviceReason}): {trainedWhat} from {train.RowCount} rows ({train.FraudCount} fraud)");

        watch.Restart();
        var created = DateTimeOffset.UtcNow;
        var version = $"v{created.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{contentHash[..6]}";
        var onnx = OnnxTreeEnsembleWriter.Write(model.Ensemble, spec.Names, new Dictionary<string, string>
        {
            ["model_name"] = settings.ModelName,
            ["version"] = version,
            ["feature_spec"] = spec.Name,
            ["feature_spec_hash"] = spec.Hash,
            ["content_hash"] = contentHash,
        });
        var scores = ScoreWithOnnx(onnx, holdout, spec.Count);
        var reference = model.PredictReference(holdout);
        var maxDiff = MaxAbsDiff(scores, reference);
        if (maxDiff > model.ExportTolerance)
        {
            throw new InvalidOperationException(
                $"the exported ONNX model differs from the trainer's {algorithm} predictions by up to {maxDiff:E2} on the holdout (tolerance {model.ExportTolerance:E0})");
        }
        Phase("export", watch.Elapsed, $"ONNX {onnx.Length} bytes, max |ONNX - {algorithm}| on {holdout.RowCount} holdout rows = {maxDiff:E2}");

        // Thresholds come from the validation slice, scored by the exported model the scorer will run.
        watch.Restart();
        var validationScores = ScoreWithOnnx(onnx, validation, spec.Count);
        var choice = ChooseThresholds(validationScores, validation.Labels);
        var thresholds = new Thresholds(choice.Review, choice.Decline);
        DecisionPolicy.Validate(thresholds);
        Phase("thresholds", watch.Elapsed, settings.ThresholdMode == ThresholdMode.Cost
            ? Invariant($"on validation ({validation.RowCount} rows, {validation.FraudCount} fraud): review>={choice.Review:G6} decline>={choice.Decline:G6}, expected cost {choice.ExpectedCost:F4}/tx (approve all: {choice.ApproveAllCost:F4}/tx)")
            : Invariant($"on validation ({validation.RowCount} rows, {validation.FraudCount} fraud): review>={choice.Review:G6} at FPR {settings.ReviewFpr}, decline>={choice.Decline:G6} at FPR {settings.DeclineFpr}"));

        watch.Restart();
        var evaluator = new BinaryEvaluator(scores, holdout.Labels);
        var metrics = new ModelMetrics(evaluator.RocAuc(), evaluator.AveragePrecision(), evaluator.RecallAtFpr(0.01));
        var calibration = CalibrationReport.Compute(scores, holdout.Labels);
        var plots = EvaluationPlots.Write(settings.OutDirectory, evaluator, calibration, metrics.RocAuc, metrics.PrAuc);
        Phase("evaluate", watch.Elapsed,
            Invariant($"holdout {holdout.RowCount} rows ({holdout.FraudCount} fraud): roc_auc={metrics.RocAuc:F4} pr_auc={metrics.PrAuc:F4} recall@1%fpr={metrics.RecallAt1PctFpr:F4} brier={calibration.Brier:F5} ece={calibration.ExpectedCalibrationError:F5}"));

        var manifest = new ModelManifest
        {
            ModelName = settings.ModelName,
            Version = version,
            CreatedAt = created,
            ArtifactUri = new Uri(Path.GetFullPath(Path.Combine(settings.OutDirectory, ModelPackage.OnnxFileName))).AbsoluteUri,
            ArtifactSha256 = ModelPackage.Sha256(onnx),
            FeatureSpec = new FeatureSpecInfo(spec.Name, spec.Hash, spec.Names) { Encoding = spec.Encoding.ToInfo() },
            Thresholds = thresholds,
            Training = new TrainingLineage(train.EventTimes[0], train.EventTimes[^1], train.RowCount, train.FraudCount, contentHash, holdout.RowCount)
            {
                AsOf = data.AsOf,
                LabelMaturityDays = data.MaturityDays,
                UnmaturedRowCount = data.Unmatured,
            },
            Algorithm = algorithm,
            Device = model.Device,
            CodeVersion = CodeVersion,
            Parameters = parameters,
            Metrics = metrics,
            Reference = FeatureReferences.Compute(all, spec.Names),
            ScoreReference = FeatureReferences.Score(scores),
            Categories = data.Categories,
        };
        var summary = new TrainingSummary(data.Transactions, split, maxDiff, settings.ThresholdMode, settings.Costs, choice,
            CostThresholdChooser.ExpectedCost(scores, holdout.Labels, choice.Review, choice.Decline, settings.Costs),
            settings.ReviewFpr, settings.DeclineFpr, evaluator.At(choice.Review), evaluator.At(choice.Decline), calibration, plots, _timings);
        WritePackage(manifest, onnx, summary);
        Log("out", $"wrote {ModelPackage.OnnxFileName}, {ModelPackage.ManifestFileName}, report.md, {string.Join(", ", plots)} to {settings.OutDirectory}");

        if (registry is null)
        {
            if (settings.Announce)
            {
                Log("publish", "--no-register: not stored, registered or announced (only registered versions are announced)");
            }
            await Summary(manifest, champion: false);
            return ExitCodes.Ok;
        }

        // Publish: store (verified), then registry, then announce.
        watch.Restart();
        try
        {
            var store = ModelStoreFactory.Create(settings.Store);
            try
            {
                var uri = await store.PutAsync(settings.ModelName, version, ModelPackage.OnnxFileName, onnx, cancellationToken);
                manifest = manifest with { ArtifactUri = uri };
                await store.PutAsync(settings.ModelName, version, ModelPackage.ManifestFileName, ContractJson.Serialize(manifest), cancellationToken);
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: model store failed, nothing registered: {PostgresAccess.OneLine(ex)}");
            return ExitCodes.StoreFailed;
        }
        WritePackage(manifest, onnx, summary); // --out mirrors what gets registered
        Phase("store", watch.Elapsed, $"artifact {manifest.ArtifactUri} (SHA-256 verified)");

        var comparison = await MeasureChampionAsync(registry, holdout, cancellationToken);
        RegistrationResult registration;
        try
        {
            registration = await registry.RegisterAsync(manifest, settings.PromoteMargin, cancellationToken, comparison, settings.Challenge);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException(
                $"registering {version} in {PostgresAccess.Describe(settings.PostgresConnectionString)} failed (artifact stored at {manifest.ArtifactUri}, not registered): {PostgresAccess.OneLine(ex)}", ex);
        }
        await CloseRequestsAsync(schedule!, decision!, registration.Version, cancellationToken);
        if (!registration.Registered)
        {
            await output.WriteLineAsync($"model {settings.ModelName}: already registered as {registration.Version}; nothing announced");
            return ExitCodes.Ok;
        }
        Log("register", registration.IsChampion
            ? $"{version} registered as champion{(registration.PreviousChampion is { } previous ? $" (was {previous})" : "")}"
            : Invariant($"{version} registered, not promoted: roc_auc {metrics.RocAuc:F4} is below the champion's{(comparison is null ? "" : $" {comparison.ChampionRocAucOnHoldout:F4} on this holdout")} plus the margin {settings.PromoteMargin}"));

        if (registration.IsChallenger)
        {
            Log("register", $"{version} is the challenger: scorers score it in shadow beside the champion");
        }
        if ((registration.IsChampion || registration.IsChallenger) && settings.Announce)
        {
            if (await AnnounceAsync(registry, manifest, signer, cancellationToken, registration.IsChallenger,
                    registration.IsChampion ? registration.PreviousChallenger : null) is { } notAnnounced)
            {
                return notAnnounced;
            }
        }
        await Summary(manifest, registration.IsChampion);
        return ExitCodes.Ok;
    }

    private async Task<ScheduleDecision> DecideAsync(RetrainSchedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            var decision = await schedule.DecideAsync(settings.ScheduleHours, DateTimeOffset.UtcNow, cancellationToken);
            if (decision.Train && decision.Why.Length > 0)
            {
                Log("schedule", decision.Why);
            }
            return decision;
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"reading retrain requests from {PostgresAccess.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
    }

    /// <summary>The requests open when the run started are answered by the version the data produced, new or not.</summary>
    private async Task CloseRequestsAsync(RetrainSchedule schedule, ScheduleDecision decision, string version, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var id in await schedule.CloseAsync(decision, version, cancellationToken))
            {
                Log("schedule", $"retrain request #{id} closed by {version}");
            }
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"closing retrain requests in {PostgresAccess.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
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
            Log("announce", $"{manifest.Version} on {at}{(challenger ? " (challenger)" : "")}{(signer is null ? " (unsigned)" : $" (signed by key {signer.KeyId})")}");
            if (endedChallenger is not null)
            {
                await announcer.WithdrawChallengerAsync(settings.ModelName, cancellationToken);
                Log("announce", $"challenger {endedChallenger} withdrawn: the new champion ends the comparison");
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
        Log("announce", $"champion {champion.Version} was registered but never announced; announcing it now");
        return await AnnounceAsync(registry, manifest, signer, cancellationToken);
    }

    private CostChoice ChooseThresholds(float[] scores, bool[] labels)
    {
        if (settings.ThresholdMode == ThresholdMode.Cost)
        {
            return CostThresholdChooser.Choose(scores, labels, settings.Costs);
        }
        if (labels.All(l => l))
        {
            throw new InvalidOperationException($"the validation slice ({labels.Length} rows) has no legitimate rows: false-positive rates are undefined");
        }
        // The FPR cuts only need negatives; a validation slice without fraud still has a false-positive rate.
        var negatives = scores.Where((_, i) => !labels[i]).OrderByDescending(x => x).ToArray();
        var decline = BinaryEvaluator.ThresholdAtFpr(negatives, scores, settings.DeclineFpr);
        var review = Math.Min(BinaryEvaluator.ThresholdAtFpr(negatives, scores, settings.ReviewFpr), decline);
        return new CostChoice(review, decline, CostThresholdChooser.ExpectedCost(scores, labels, review, decline, settings.Costs),
            settings.Costs.MissedFraud * labels.Count(l => l) / (double)labels.Length);
    }

    private static string DeviceName(GbdtDevice device) => device.ToString().ToLowerInvariant();

    internal static string CodeVersion { get; } =
        typeof(TrainJob).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private void WritePackage(ModelManifest manifest, byte[] onnx, TrainingSummary summary)
    {
        ModelPackage.Write(settings.OutDirectory, manifest, onnx);
        File.WriteAllText(Path.Combine(settings.OutDirectory, "report.md"), ReportWriter.Render(manifest, summary));
    }

    private Task Summary(ModelManifest m, bool champion)
    {
        // Reached only when every step succeeded: a champion here was announced unless --no-announce.
        metrics?.Model(m, announced: champion && settings.Announce, _timings);
        return SummaryLine(m, champion);
    }

    private Task SummaryLine(ModelManifest m, bool champion) => output.WriteLineAsync(Invariant(
        $"trained model={m.ModelName} version={m.Version} rows={m.Training.RowCount} auc={m.Metrics.RocAuc:F4} pr_auc={m.Metrics.PrAuc:F4} recall@1%fpr={m.Metrics.RecallAt1PctFpr:F4} champion={(champion ? "true" : "false")}"));

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
            throw new PostgresUnavailableException($"reading the champion from {PostgresAccess.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
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
                Log("compare", $"champion {champion.Version}: fetched artifact does not match its SHA-256; comparing stored ROC-AUC instead");
                return null;
            }
            var auc = new BinaryEvaluator(ScoreWithOnnx(artifact, holdout, championSpec.Count), holdout.Labels).RocAuc();
            Phase("compare", watch.Elapsed, Invariant($"champion {champion.Version} on this holdout: roc_auc={auc:F4}"));
            return new ChampionComparison(champion.Version, auc);
        }
        catch (Exception ex) when (ex is ModelRejectedException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException
                                       or System.Text.Json.JsonException or IOException)
        {
            Log("compare", $"champion {champion.Version} could not be scored on this holdout ({ex.Message}); comparing stored ROC-AUC instead");
            return null;
        }
    }

    internal static float[] ScoreWithOnnx(byte[] onnx, FeatureTable rows, int featureCount)
    {
        using var scorer = new OnnxScoringModel(onnx, featureCount);
        var scores = new float[rows.RowCount];
        const int batch = 4096;
        for (var start = 0; start < rows.RowCount; start += batch)
        {
            var count = Math.Min(batch, rows.RowCount - start);
            scorer.Score(rows.Features.AsMemory(start * featureCount, count * featureCount), count, scores.AsSpan(start, count));
        }
        return scores;
    }

    private static double MaxAbsDiff(float[] a, float[] b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }
        return max;
    }

    private void Phase(string phase, TimeSpan elapsed, string message)
    {
        _timings.Add(new(phase, elapsed));
        Log(phase, Invariant($"{message} in {elapsed.TotalSeconds:F2} s"));
    }

    private void Log(string phase, string message) => output.WriteLine($"[{phase}] {message}");

    private static string Rate(long rows, TimeSpan elapsed) => Invariant($"{rows / Math.Max(elapsed.TotalSeconds, 1e-6):N0}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
