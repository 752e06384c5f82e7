using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Shared.Progress;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Publishing;
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

    private readonly RunLog _log = new(output);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        AnnouncementSigner? signer = null;
        if (CommandFailure.Refused(() =>
            {
                settings.Validate();
                signer = settings.Register && settings.Announce ? AnnouncementSigner.From(settings.Signing) : null;
            }, error) is { } refused)
        {
            return refused;
        }
        return await CommandFailure.RunAsync(error, () => RunCoreAsync(signer, cancellationToken));
    }

    /// <summary>The run, step by step; each step returns what the next ones need, and a failed step stops the run.</summary>
    private async Task<int> RunCoreAsync(AnnouncementSigner? signer, CancellationToken cancellationToken)
    {
        var needsPostgres = settings.Register || !settings.FromFiles;
        await using var dataSource = needsPostgres ? await PostgresAccess.OpenAsync(settings.PostgresConnectionString, cancellationToken) : null;
        var publisher = settings.Register ? new ModelPublisher(settings, dataSource!, signer, output, error, _log) : null;
        if (publisher is not null && await publisher.PrepareAsync(cancellationToken) is { } done)
        {
            return done;
        }

        var data = await ReadAsync(dataSource, cancellationToken);
        var encoded = Encode(data);
        var identity = Identify(encoded);
        if (publisher is not null && await publisher.AlreadyRegisteredAsync(identity.ContentHash, encoded.Spec.Hash, cancellationToken))
        {
            return ExitCodes.Ok;
        }
        var split = Split(encoded.All);
        var trained = Train(split, identity.Algorithm, cancellationToken);
        var exported = Export(trained, split.Holdout, encoded.Spec, identity);
        var choice = ChooseThresholds(exported.Onnx, split.Validation, encoded.Spec.Count);
        var evaluation = Evaluate(exported.HoldoutScores, split.Holdout);
        var manifest = BuildManifest(data, encoded, identity, split, trained.Model, exported, choice, evaluation);
        var summary = new TrainingSummary(data.Transactions, split, exported.MaxDiff, settings.ThresholdMode, settings.Costs, choice,
            CostThresholdChooser.ExpectedCost(exported.HoldoutScores, split.Holdout.Labels, choice.Review, choice.Decline, settings.Costs),
            settings.ReviewFpr, settings.DeclineFpr, evaluation.Evaluator.At(choice.Review), evaluation.Evaluator.At(choice.Decline),
            evaluation.Calibration, evaluation.Plots, _log.Timings);
        WritePackage(manifest, exported.Onnx, summary);
        _log.Line("out", $"wrote {ModelPackage.OnnxFileName}, {ModelPackage.ManifestFileName}, report.md, {string.Join(", ", evaluation.Plots)} to {settings.OutDirectory}");

        if (publisher is null)
        {
            if (settings.Announce)
            {
                _log.Line("publish", "--no-register: not stored, registered or announced (only registered versions are announced)");
            }
            await Summary(manifest, champion: false);
            return ExitCodes.Ok;
        }
        var published = await publisher.PublishAsync(manifest, exported.Onnx, split.Holdout, m => WritePackage(m, exported.Onnx, summary), cancellationToken);
        if (published.Manifest is { } registered)
        {
            await Summary(registered, published.Champion);
        }
        return published.ExitCode;
    }

    /// <summary>Reads and featurises the history in one pass: the pipeline sees every transaction, in order.</summary>
    private async Task<TrainingData> ReadAsync(Npgsql.NpgsqlDataSource? dataSource, CancellationToken cancellationToken)
    {
        var layout = settings.ReadLayout();
        IHistorySource source = settings.FromFiles
            ? new JsonlHistorySource(settings.TransactionsPath!, settings.LabelsPath!, settings.MaxFutureSkew, layout)
            : new PostgresHistorySource(dataSource!, maxFutureSkew: settings.MaxFutureSkew, layout: layout);
        var watch = Stopwatch.StartNew();
        TrainingData data;
        try
        {
            data = await TrainingData.ReadAsync(source, settings.Spec, settings.AsOf, settings.LabelMaturityDays, cancellationToken, layout);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresUnavailableException($"reading history from {PostgresAddress.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
        }
        var all = data.All;
        _log.Phase("read+features", watch.Elapsed,
            $"{data.Transactions} transactions ({all.RowCount} training rows, {all.FraudCount} fraud, {data.Cards} cards) from {source.Description}, {Rate(data.Transactions, watch.Elapsed)} rows/s");
        _log.Line("read+features", Invariant(
            $"as of {data.AsOf:O}: {data.Unmatured} transactions neither reported nor {data.MaturityDays} days old without a report are not trained on"));
        if (source.Refusals.Describe("history rows") is { } refused)
        {
            _log.Line("read+features", refused);
        }
        if (source is JsonlHistorySource { OrphanLabels: > 0 } files)
        {
            _log.Line("read+features", $"{files.OrphanLabels} labels name no transaction in the file and were ignored");
        }
        if (all.RowCount < 10)
        {
            throw new InvalidOperationException($"only {all.RowCount} labelled transactions: too few to train and evaluate");
        }
        return data;
    }

    /// <summary>Vocabularies from the training slice alone: validation and holdout rows meet them as new traffic would.</summary>
    private EncodedHistory Encode(TrainingData data)
    {
        var watch = Stopwatch.StartNew();
        var layout = settings.ReadLayout();
        var training = TimeSplit.Of(data.All, settings.ValidationFraction, settings.HoldoutFraction).Train;
        var encoding = VocabularyFitter.Fit(training, settings.Vocabulary);
        var spec = settings.Spec.WithEncoding(encoding);
        var all = data.All.Encode(encoding);
        _log.Phase("vocabularies", watch.Elapsed, Invariant(
            $"from {training.RowCount} training rows: {string.Join(", ", Enumerable.Range(0, layout.SlotCount).Where(layout.IsCategorical).Select(s => $"{layout.SlotName(s)} {encoding.VocabularyOf(s)!.Count}"))} values; {layout.Attributes.Count} attributes; spec {spec.Name}/{spec.Hash}"));
        return new EncodedHistory(spec, all);
    }

    /// <summary>
    /// The run's parameters and content hash. Device and threads stay out: they do not change the model, so the same
    /// window on another machine is no new version.
    /// </summary>
    private RunIdentity Identify(EncodedHistory encoded)
    {
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
        var algorithm = settings.Algorithm == TrainAlgorithm.Gbdt ? TrainedGbdt.AlgorithmName : LightGbmBaseline.AlgorithmName;
        foreach (var (key, value) in settings.Algorithm == TrainAlgorithm.Gbdt ? TrainedGbdt.Describe(settings.Gbdt) : settings.LightGbm.Describe())
        {
            parameters[key] = value;
        }
        var contentHash = ContentHash.Compute(encoded.All, encoded.Spec.Hash, parameters.Append(new("algorithm", algorithm)));
        return new RunIdentity(parameters, algorithm, contentHash);
    }

    /// <summary>Time-based split, oldest to newest: train | validation (early stopping, thresholds) | holdout (evaluation only).</summary>
    private TimeSplit Split(FeatureTable all)
    {
        var split = TimeSplit.Of(all, settings.ValidationFraction, settings.HoldoutFraction);
        var (validation, holdout) = (split.Validation, split.Holdout);
        if (holdout.FraudCount == 0 || holdout.FraudCount == holdout.RowCount)
        {
            throw new InvalidOperationException($"the holdout ({holdout.RowCount} newest labelled rows) has {holdout.FraudCount} fraud: both classes are needed to evaluate");
        }
        if (validation.FraudCount == 0)
        {
            _log.Line("split", $"the validation slice ({validation.RowCount} rows) has no fraud: thresholds will flag almost nothing");
        }
        return split;
    }

    private TrainedModel Train(TimeSplit split, string algorithm, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var trained = settings.Algorithm == TrainAlgorithm.Gbdt ? TrainGbdt(split, cancellationToken) : TrainLightGbm(split.Train);
        _log.Phase("train", watch.Elapsed,
            $"{algorithm} on {trained.Model.Device} ({trained.Model.DeviceReason}): {trained.What} from {split.Train.RowCount} rows ({split.Train.FraudCount} fraud)");
        return trained;
    }

    private TrainedModel TrainGbdt(TimeSplit split, CancellationToken cancellationToken)
    {
        var rounds = new RoundProgress(_progress);
        TrainedGbdt gbdt;
        try
        {
            gbdt = TrainedGbdt.Train(split.Train, split.Validation, settings.GbdtWithDevice, rounds, cancellationToken);
        }
        catch (NotSupportedException ex)
        {
            throw new DeviceUnavailableException($"--device {DeviceName(settings.Device)}: {PostgresAccess.OneLine(ex)}", ex);
        }
        finally
        {
            _progress.Finish();
        }
        return new TrainedModel(gbdt, Invariant($"{gbdt.Model.Trees.Count} trees (best round {gbdt.Model.BestRound} of {settings.Gbdt.Rounds}) x depth ≤ {settings.Gbdt.MaxDepth}"));
    }

    private TrainedModel TrainLightGbm(FeatureTable train)
    {
        var lightGbm = LightGbmBaseline.Train(train, settings.LightGbm);
        return new TrainedModel(lightGbm, $"{settings.LightGbm.Rounds} rounds x {settings.LightGbm.Leaves} leaves, {lightGbm.Ensemble.Trees.Count} trees");
    }

    /// <summary>Writes the ONNX model and checks that ONNX Runtime reproduces the trainer's own predictions on the holdout.</summary>
    private ExportedModel Export(TrainedModel trained, FeatureTable holdout, FeatureSpec spec, RunIdentity identity)
    {
        var watch = Stopwatch.StartNew();
        var created = DateTimeOffset.UtcNow;
        var version = $"v{created.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{identity.ContentHash[..6]}";
        var onnx = OnnxTreeEnsembleWriter.Write(trained.Model.Ensemble, spec.Names, new Dictionary<string, string>
        {
            ["model_name"] = settings.ModelName,
            ["version"] = version,
            ["feature_spec"] = spec.Name,
            ["feature_spec_hash"] = spec.Hash,
            ["content_hash"] = identity.ContentHash,
        });
        // ONNX Runtime itself, on every holdout row: the artifact must hold the trained model wherever it is run.
        var scores = ScoreWithOnnx(onnx, holdout, spec.Count, runtimeOnly: true);
        var maxDiff = MaxAbsDiff(scores, trained.Model.PredictReference(holdout));
        if (maxDiff > trained.Model.ExportTolerance)
        {
            throw new InvalidOperationException(
                $"the exported ONNX model differs from the trainer's {identity.Algorithm} predictions by up to {maxDiff:E2} on the holdout (tolerance {trained.Model.ExportTolerance:E0})");
        }
        _log.Phase("export", watch.Elapsed, $"ONNX {onnx.Length} bytes, max |ONNX - {identity.Algorithm}| on {holdout.RowCount} holdout rows = {maxDiff:E2}");
        return new ExportedModel(onnx, version, created, scores, maxDiff);
    }

    /// <summary>Thresholds come from the validation slice, scored by the exported model the scorer will run.</summary>
    private CostChoice ChooseThresholds(byte[] onnx, FeatureTable validation, int featureCount)
    {
        var watch = Stopwatch.StartNew();
        var choice = ChooseThresholds(ScoreWithOnnx(onnx, validation, featureCount), validation.Labels);
        DecisionPolicy.Validate(new Thresholds(choice.Review, choice.Decline));
        _log.Phase("thresholds", watch.Elapsed, settings.ThresholdMode == ThresholdMode.Cost
            ? Invariant($"on validation ({validation.RowCount} rows, {validation.FraudCount} fraud): review>={choice.Review:G6} decline>={choice.Decline:G6}, expected cost {choice.ExpectedCost:F4}/tx (approve all: {choice.ApproveAllCost:F4}/tx)")
            : Invariant($"on validation ({validation.RowCount} rows, {validation.FraudCount} fraud): review>={choice.Review:G6} at FPR {settings.ReviewFpr}, decline>={choice.Decline:G6} at FPR {settings.DeclineFpr}"));
        return choice;
    }

    private HoldoutEvaluation Evaluate(float[] scores, FeatureTable holdout)
    {
        var watch = Stopwatch.StartNew();
        var evaluator = new BinaryEvaluator(scores, holdout.Labels);
        var metrics = new ModelMetrics(evaluator.RocAuc(), evaluator.AveragePrecision(), evaluator.RecallAtFpr(0.01));
        var calibration = CalibrationReport.Compute(scores, holdout.Labels);
        var plots = EvaluationPlots.Write(settings.OutDirectory, evaluator, calibration, metrics.RocAuc, metrics.PrAuc);
        _log.Phase("evaluate", watch.Elapsed,
            Invariant($"holdout {holdout.RowCount} rows ({holdout.FraudCount} fraud): roc_auc={metrics.RocAuc:F4} pr_auc={metrics.PrAuc:F4} recall@1%fpr={metrics.RecallAt1PctFpr:F4} brier={calibration.Brier:F5} ece={calibration.ExpectedCalibrationError:F5}"));
        return new HoldoutEvaluation(evaluator, metrics, calibration, plots);
    }

    private ModelManifest BuildManifest(TrainingData data, EncodedHistory encoded, RunIdentity identity, TimeSplit split, ITrainedModel model,
        ExportedModel exported, CostChoice choice, HoldoutEvaluation evaluation)
    {
        var (train, holdout, spec) = (split.Train, split.Holdout, encoded.Spec);
        return new ModelManifest
        {
            ModelName = settings.ModelName,
            Version = exported.Version,
            CreatedAt = exported.Created,
            ArtifactUri = new Uri(Path.GetFullPath(Path.Combine(settings.OutDirectory, ModelPackage.OnnxFileName))).AbsoluteUri,
            ArtifactSha256 = ModelPackage.Sha256(exported.Onnx),
            FeatureSpec = new FeatureSpecInfo(spec.Name, spec.Hash, spec.Names) { Encoding = spec.Encoding.ToInfo() },
            Thresholds = new Thresholds(choice.Review, choice.Decline),
            Training = new TrainingLineage(train.EventTimes[0], train.EventTimes[^1], train.RowCount, train.FraudCount, identity.ContentHash, holdout.RowCount)
            {
                AsOf = data.AsOf,
                LabelMaturityDays = data.MaturityDays,
                UnmaturedRowCount = data.Unmatured,
            },
            Algorithm = identity.Algorithm,
            Device = model.Device,
            CodeVersion = CodeVersion,
            Parameters = identity.Parameters,
            Metrics = evaluation.Metrics,
            Reference = FeatureReferences.Compute(encoded.All, spec.Names),
            ScoreReference = FeatureReferences.Score(exported.HoldoutScores),
            Categories = data.Categories,
        };
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
        metrics?.Model(m, announced: champion && settings.Announce, _log.Timings);
        return SummaryLine(m, champion);
    }

    private Task SummaryLine(ModelManifest m, bool champion) => output.WriteLineAsync(Invariant(
        $"trained model={m.ModelName} version={m.Version} rows={m.Training.RowCount} auc={m.Metrics.RocAuc:F4} pr_auc={m.Metrics.PrAuc:F4} recall@1%fpr={m.Metrics.RecallAt1PctFpr:F4} champion={(champion ? "true" : "false")}"));

    /// <summary>
    /// The rows' probabilities from the exported model: as the scorer computes them (its compiled trees, checked against
    /// ONNX Runtime), or by ONNX Runtime alone when <paramref name="runtimeOnly"/>.
    /// </summary>
    internal static float[] ScoreWithOnnx(byte[] onnx, FeatureTable rows, int featureCount, bool runtimeOnly = false)
    {
        using var scorer = runtimeOnly ? OnnxScoringModel.RuntimeOnly(onnx, featureCount) : new OnnxScoringModel(onnx, featureCount);
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

    private static string Rate(long rows, TimeSpan elapsed) => Invariant($"{rows / Math.Max(elapsed.TotalSeconds, 1e-6):N0}");

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    internal static string Invariant(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
