using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Prometheus;

namespace Fraud.Streaming.Trainer.Metrics;

/// <summary>
/// What one trainer invocation reports, in a registry of its own (no process or runtime series). Only what was set
/// is exported: a run that trains nothing leaves the model series out, so the Pushgateway keeps the last model's.
/// Names and labels are a contract with dashboards and alerts.
/// </summary>
internal sealed class TrainingMetrics
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Gauge _runTimestamp;
    private readonly Gauge _runExitCode;
    private readonly Gauge _runDuration;
    private readonly Gauge _successTimestamp;
    private readonly Gauge _modelInfo;
    private readonly Gauge _modelCreated;
    private readonly Gauge _rocAuc;
    private readonly Gauge _prAuc;
    private readonly Gauge _recall;
    private readonly Gauge _threshold;
    private readonly Gauge _trainingRows;
    private readonly Gauge _phaseDuration;

    public TrainingMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        Gauge Create(string name, string help, params string[] labels) =>
            factory.CreateGauge(name, help, new GaugeConfiguration { SuppressInitialValue = true, LabelNames = labels });

        _runTimestamp = Create("fraud_trainer_last_run_timestamp_seconds", "When the last train run ended (Unix seconds), whatever its result.");
        _runExitCode = Create("fraud_trainer_last_run_exit_code", "Exit code of the last train run (the shared table): 0 ok, 1 failed, 2 bad usage, 3 bad input, 4 Postgres unavailable, 5 Kafka (announce) failed, 6 store failed, 7 no CUDA device.");
        _runDuration = Create("fraud_trainer_last_run_duration_seconds", "Wall time of the last train run.");
        _successTimestamp = Create("fraud_trainer_last_success_timestamp_seconds", "When the last successful train run ended (Unix seconds); a run that registers nothing new counts.");
        _modelInfo = Create("fraud_trainer_model_info", "1 for the model last trained or announced by hand, with its version, algorithm, device and whether it was announced.",
            "version", "algorithm", "device", "announced");
        _modelCreated = Create("fraud_trainer_model_created_timestamp_seconds", "When that model was trained (Unix seconds).");
        _rocAuc = Create("fraud_trainer_model_roc_auc", "ROC-AUC of that model on its holdout (the newest labelled rows, never trained on).");
        _prAuc = Create("fraud_trainer_model_pr_auc", "PR-AUC (average precision) of that model on its holdout.");
        _recall = Create("fraud_trainer_model_recall_at_1pct_fpr", "Recall of that model at a 1% false-positive rate on its holdout.");
        _threshold = Create("fraud_trainer_model_threshold", "Score cut-off of that model, by decision (review, decline).", "decision");
        _trainingRows = Create("fraud_trainer_model_training_rows", "Labelled rows that model was trained on.");
        _phaseDuration = Create("fraud_trainer_phase_duration_seconds", "Duration of each phase of the run that trained that model (read+features, train, export, thresholds, evaluate, store, compare).", "phase");
    }

    /// <summary>The model a run trained (or <c>models promote|rollback</c> announced), and how long each phase took.</summary>
    public void Model(ModelManifest manifest, bool announced, IEnumerable<KeyValuePair<string, TimeSpan>> phases)
    {
        _modelInfo.WithLabels(manifest.Version, manifest.Algorithm, manifest.Device, announced ? "true" : "false").Set(1);
        _modelCreated.Set(manifest.CreatedAt.ToUnixTimeMilliseconds() / 1000.0);
        _rocAuc.Set(manifest.Metrics.RocAuc);
        _prAuc.Set(manifest.Metrics.PrAuc);
        _recall.Set(manifest.Metrics.RecallAt1PctFpr);
        _threshold.WithLabels("review").Set(manifest.Thresholds.Review);
        _threshold.WithLabels("decline").Set(manifest.Thresholds.Decline);
        _trainingRows.Set(manifest.Training.RowCount);
        foreach (var (phase, elapsed) in phases)
        {
            _phaseDuration.WithLabels(phase).Set(elapsed.TotalSeconds);
        }
    }

    /// <summary>How the run ended.</summary>
    public void RunFinished(int exitCode, TimeSpan duration, DateTimeOffset endedAt)
    {
        var at = endedAt.ToUnixTimeMilliseconds() / 1000.0;
        _runTimestamp.Set(at);
        _runExitCode.Set(exitCode);
        _runDuration.Set(duration.TotalSeconds);
        if (exitCode == ExitCodes.Ok)
        {
            _successTimestamp.Set(at);
        }
    }

    /// <summary>The Prometheus text exposition of everything set.</summary>
    public Task ExportAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
