using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Publishing;
using Fraud.Streaming.Trainer.Training;
using Npgsql;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// One training run. The steps go from local to shared, so a failure leaves nothing half-done:
/// read → features → train → export check → evaluate → write --out → put in the store (verified) →
/// register (one transaction) → announce. A later step never runs after an earlier one failed.
/// </summary>
internal sealed class TrainJob(TrainSettings settings, TextWriter output, TextWriter error)
{
    /// <summary>The exported model must reproduce ML.NET's probabilities this closely, or the run fails.</summary>
    internal const double ExportTolerance = 1e-4;

    private readonly List<KeyValuePair<string, TimeSpan>> _timings = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            settings.Validate();
            return await RunCoreAsync(cancellationToken);
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

    private async Task<int> RunCoreAsync(CancellationToken cancellationToken)
    {
        var spec = FeatureSpec.CardV1.WithCardIdleDays(settings.CardIdleDays);
        var needsPostgres = settings.Register || !settings.FromFiles;
        await using var dataSource = needsPostgres ? await PostgresAccess.OpenAsync(settings.PostgresConnectionString, cancellationToken) : null;
        var registry = settings.Register ? new ModelRegistry(dataSource!) : null;

        // Read and featurise in one pass: the pipeline sees every transaction, in order.
        IHistorySource source = settings.FromFiles
            ? new JsonlHistorySource(settings.TransactionsPath!, settings.LabelsPath!)
            : new PostgresHistorySource(dataSource!);
        var watch = Stopwatch.StartNew();
        var builder = new FeatureTableBuilder(spec);
        try
        {
            await foreach (var row in source.ReadAsync(cancellationToken))
            {
                builder.Add(row);
            }
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"reading history from {PostgresAccess.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
        var all = builder.Build();
        Phase("read+features", watch.Elapsed,
            $"{builder.TransactionCount} transactions ({all.RowCount} labelled, {all.FraudCount} fraud, {builder.CardCount} cards) from {source.Description}, {Rate(builder.TransactionCount, watch.Elapsed)} rows/s");
        if (source is JsonlHistorySource { OrphanLabels: > 0 } files)
        {
            Log("read+features", $"{files.OrphanLabels} labels name no transaction in the file and were ignored");
        }
        if (all.RowCount < 10)
        {
            throw new InvalidOperationException($"only {all.RowCount} labelled transactions: too few to train and evaluate");
        }

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["holdout_fraction"] = Invariant(settings.HoldoutFraction),
            ["review_fpr"] = Invariant(settings.ReviewFpr),
            ["decline_fpr"] = Invariant(settings.DeclineFpr),
        };
        foreach (var (key, value) in settings.Gbdt.Describe())
        {
            parameters[key] = value;
        }
        var contentHash = ContentHash.Compute(all, spec.Hash, parameters.Append(new("algorithm", LightGbmBaseline.Algorithm)));

        if (registry is not null
            && await registry.FindByContentAsync(settings.ModelName, contentHash, spec.Hash, cancellationToken) is { } existing)
        {
            await output.WriteLineAsync(
                $"model {settings.ModelName}: this data window, feature spec and parameters are already registered as {existing.Version} ({existing.Status}); nothing to do");
            return ExitCodes.Ok;
        }

        // Time-based split: the newest labelled rows are the holdout.
        var holdoutCount = (int)Math.Round(all.RowCount * settings.HoldoutFraction);
        holdoutCount = Math.Clamp(holdoutCount, 1, all.RowCount - 1);
        var train = all.Slice(0, all.RowCount - holdoutCount);
        var holdout = all.Slice(all.RowCount - holdoutCount, holdoutCount);
        if (holdout.FraudCount == 0 || holdout.FraudCount == holdout.RowCount)
        {
            throw new InvalidOperationException($"the holdout ({holdout.RowCount} newest labelled rows) has {holdout.FraudCount} fraud: both classes are needed to evaluate");
        }

        watch.Restart();
        var model = LightGbmBaseline.Train(train, settings.Gbdt);
        Phase("train", watch.Elapsed,
            $"{settings.Gbdt.Rounds} rounds x {settings.Gbdt.Leaves} leaves on {train.RowCount} rows ({train.FraudCount} fraud), {model.Ensemble.Trees.Count} trees");

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
        var reference = model.PredictWithMlNet(holdout);
        var maxDiff = MaxAbsDiff(scores, reference);
        if (maxDiff > ExportTolerance)
        {
            throw new InvalidOperationException($"the exported ONNX model differs from ML.NET by up to {maxDiff:E2} on the holdout (tolerance {ExportTolerance:E0})");
        }
        Phase("export", watch.Elapsed, $"ONNX {onnx.Length} bytes, max |ONNX - ML.NET| on {holdout.RowCount} holdout rows = {maxDiff:E2}");

        watch.Restart();
        var evaluator = new BinaryEvaluator(scores, holdout.Labels);
        var metrics = new ModelMetrics(evaluator.RocAuc(), evaluator.AveragePrecision(), evaluator.RecallAtFpr(0.01));
        var decline = evaluator.ThresholdAtFpr(settings.DeclineFpr);
        var review = Math.Min(evaluator.ThresholdAtFpr(settings.ReviewFpr), decline);
        var thresholds = new Thresholds(review, decline);
        DecisionPolicy.Validate(thresholds);
        Phase("evaluate", watch.Elapsed,
            Invariant($"holdout {holdout.RowCount} rows ({holdout.FraudCount} fraud): roc_auc={metrics.RocAuc:F4} pr_auc={metrics.PrAuc:F4} recall@1%fpr={metrics.RecallAt1PctFpr:F4} review>={review:G6} decline>={decline:G6}"));

        var manifest = new ModelManifest
        {
            ModelName = settings.ModelName,
            Version = version,
            CreatedAt = created,
            ArtifactUri = new Uri(Path.GetFullPath(Path.Combine(settings.OutDirectory, ModelPackage.OnnxFileName))).AbsoluteUri,
            ArtifactSha256 = ModelPackage.Sha256(onnx),
            FeatureSpec = new FeatureSpecInfo(spec.Name, spec.Hash, spec.Names),
            Thresholds = thresholds,
            Training = new TrainingLineage(train.EventTimes[0], train.EventTimes[^1], train.RowCount, train.FraudCount, contentHash, holdout.RowCount),
            Algorithm = LightGbmBaseline.Algorithm,
            Device = "cpu",
            CodeVersion = CodeVersion,
            Parameters = parameters,
            Metrics = metrics,
            Reference = FeatureReferences.Compute(train, spec.Names),
        };
        var summary = new TrainingSummary(builder.TransactionCount, settings.HoldoutFraction, holdout.FraudCount, holdout.EventTimes[0],
            holdout.EventTimes[^1], maxDiff, settings.ReviewFpr, evaluator.At(review), settings.DeclineFpr, evaluator.At(decline), _timings);
        WritePackage(manifest, onnx, summary);
        Log("out", $"wrote {ModelPackage.OnnxFileName}, {ModelPackage.ManifestFileName}, report.md to {settings.OutDirectory}");

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

        var comparison = await MeasureChampionAsync(registry, holdout, spec, cancellationToken);
        RegistrationResult registration;
        try
        {
            registration = await registry.RegisterAsync(manifest, settings.PromoteMargin, cancellationToken, comparison);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException(
                $"registering {version} in {PostgresAccess.Describe(settings.PostgresConnectionString)} failed (artifact stored at {manifest.ArtifactUri}, not registered): {PostgresAccess.OneLine(ex)}", ex);
        }
        if (!registration.Registered)
        {
            await output.WriteLineAsync($"model {settings.ModelName}: already registered as {registration.Version}; nothing announced");
            return ExitCodes.Ok;
        }
        Log("register", registration.IsChampion
            ? $"{version} registered as champion{(registration.PreviousChampion is { } previous ? $" (was {previous})" : "")}"
            : Invariant($"{version} registered, not promoted: roc_auc {metrics.RocAuc:F4} is below the champion's{(comparison is null ? "" : $" {comparison.ChampionRocAucOnHoldout:F4} on this holdout")} plus the margin {settings.PromoteMargin}"));

        if (registration.IsChampion && settings.Announce)
        {
            try
            {
                using var announcer = new ModelAnnouncer(settings.Kafka, settings.AnnounceTimeout);
                var at = await announcer.AnnounceAsync(manifest, cancellationToken);
                Log("announce", $"{version} on {at}");
            }
            catch (KafkaException ex)
            {
                await error.WriteLineAsync(
                    $"error: {version} is registered as champion but NOT announced on {settings.Kafka.ModelsTopic} ({settings.Kafka.BootstrapServers}): {ex.Error.Reason}; run `models promote {version}` to announce it");
                return ExitCodes.AnnounceFailed;
            }
        }
        await Summary(manifest, registration.IsChampion);
        return ExitCodes.Ok;
    }

    internal static string CodeVersion { get; } =
        typeof(TrainJob).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private void WritePackage(ModelManifest manifest, byte[] onnx, TrainingSummary summary)
    {
        ModelPackage.Write(settings.OutDirectory, manifest, onnx);
        File.WriteAllText(Path.Combine(settings.OutDirectory, "report.md"), ReportWriter.Render(manifest, summary));
    }

    private Task Summary(ModelManifest m, bool champion) => output.WriteLineAsync(Invariant(
        $"trained model={m.ModelName} version={m.Version} rows={m.Training.RowCount} auc={m.Metrics.RocAuc:F4} pr_auc={m.Metrics.PrAuc:F4} recall@1%fpr={m.Metrics.RecallAt1PctFpr:F4} champion={(champion ? "true" : "false")}"));

    /// <summary>
    /// Scores the challenger's holdout with the current champion, so promotion compares both on the same rows.
    /// Null (fall back to the stored figure) when there is no champion, it was built for another feature spec,
    /// or its artifact cannot be fetched or run: the reason is logged.
    /// </summary>
    private async Task<ChampionComparison?> MeasureChampionAsync(ModelRegistry registry, FeatureTable holdout, FeatureSpec spec, CancellationToken cancellationToken)
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
        if (champion.FeatureHash != spec.Hash)
        {
            Log("compare", $"champion {champion.Version} uses feature spec {champion.FeatureSpec}/{champion.FeatureHash}; comparing stored ROC-AUC instead");
            return null;
        }
        try
        {
            var watch = Stopwatch.StartNew();
            var artifact = await ModelStoreFactory.FetchAsync(champion.ArtifactUri, settings.Store, cancellationToken);
            if (ModelPackage.Sha256(artifact) != champion.ArtifactSha256)
            {
                Log("compare", $"champion {champion.Version}: fetched artifact does not match its SHA-256; comparing stored ROC-AUC instead");
                return null;
            }
            var auc = new BinaryEvaluator(ScoreWithOnnx(artifact, holdout, spec.Count), holdout.Labels).RocAuc();
            Phase("compare", watch.Elapsed, Invariant($"champion {champion.Version} on this holdout: roc_auc={auc:F4}"));
            return new ChampionComparison(champion.Version, auc);
        }
        catch (Exception ex) when (ex is ModelRejectedException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException)
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
