using Prometheus;

namespace Fraud.Streaming.Monitoring;

/// <summary>The service's metrics. Dashboards and alerts query these names: renaming one is a breaking change.</summary>
internal static class MonitoringMetrics
{
    public static readonly Counter MessagesConsumed = Metrics.CreateCounter(
        "fraud_monitoring_messages_consumed_total",
        "Messages read from Kafka, by topic.",
        new CounterConfiguration { LabelNames = ["topic"] });

    public static readonly Counter RowsWritten = Metrics.CreateCounter(
        "fraud_monitoring_rows_written_total",
        "History rows inserted or updated, by table (replayed duplicates do not count).",
        new CounterConfiguration { LabelNames = ["table"] });

    public static readonly Counter Rejected = Metrics.CreateCounter(
        "fraud_monitoring_rejected_total",
        "Messages the contract refused (they go to the dead_letters table), by topic and reason.",
        new CounterConfiguration { LabelNames = ["topic", "reason"] });

    public static readonly Counter DeadLetters = Metrics.CreateCounter(
        "fraud_monitoring_dead_letters_total",
        "Messages written to the dead_letters table instead of history, by topic and reason (contract codes, duplicate_transaction_id, database_refused).",
        new CounterConfiguration { LabelNames = ["topic", "reason"] });

    public static readonly Gauge WriteBlocked = Metrics.CreateGauge(
        "fraud_monitoring_write_blocked",
        "1 while a batch cannot be written (a dependency is down and the write is being retried, or it is stuck), else 0; partitions are paused meanwhile.");

    public static readonly Histogram WriteSeconds = Metrics.CreateHistogram(
        "fraud_monitoring_write_seconds",
        "Time to write one batch to Postgres (one transaction).",
        new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static readonly Counter WriteFailures = Metrics.CreateCounter(
        "fraud_monitoring_write_failures_total",
        "Batch writes that failed on a transient error (network, database down) and will be retried.");

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "fraud_monitoring_batch_size",
        "Messages per written batch.",
        new HistogramConfiguration { Buckets = [1, 10, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 50000] });

    public static readonly Counter CommitFailures = Metrics.CreateCounter(
        "fraud_monitoring_commit_failures_total",
        "Offset commits that failed (the batch will be re-read and upserted again).");

    public static readonly Gauge QualityAsOf = Metrics.CreateGauge(
        "fraud_monitoring_quality_as_of_timestamp_seconds",
        "The history's newest event time (Unix seconds): the clock live quality matures outcomes against.");

    public static readonly Gauge QualityRocAuc = Metrics.CreateGauge(
        "fraud_monitoring_quality_roc_auc",
        "ROC-AUC of the matured window (Quality:WindowDays matured days), per model version and source (live: the decisions; shadow: the challenger).",
        "model_version", "source");

    public static readonly Gauge QualityPrAuc = Metrics.CreateGauge(
        "fraud_monitoring_quality_pr_auc", "PR-AUC (average precision) of the matured window.", "model_version", "source");

    public static readonly Gauge QualityPrecision = Metrics.CreateGauge(
        "fraud_monitoring_quality_precision", "Precision of the matured window at a threshold (review: reviewed or declined; decline).",
        "model_version", "source", "threshold");

    public static readonly Gauge QualityRecall = Metrics.CreateGauge(
        "fraud_monitoring_quality_recall", "Recall of the matured window's frauds at a threshold.", "model_version", "source", "threshold");

    public static readonly Gauge QualityFraudAmount = Metrics.CreateGauge(
        "fraud_monitoring_quality_fraud_amount", "Money of the matured window's frauds.", "model_version", "source");

    public static readonly Gauge QualityCaughtAmount = Metrics.CreateGauge(
        "fraud_monitoring_quality_caught_amount", "Money of the matured window's frauds that were reviewed or declined.", "model_version", "source");

    public static readonly Gauge QualityFalseDeclines = Metrics.CreateGauge(
        "fraud_monitoring_quality_false_declines", "Genuine transactions declined in the matured window.", "model_version", "source");

    public static readonly Gauge QualityFrauds = Metrics.CreateGauge(
        "fraud_monitoring_quality_frauds", "Frauds in the matured window (how much the other quality gauges rest on).", "model_version", "source");

    public static readonly Gauge QualityScenarioRecall = Metrics.CreateGauge(
        "fraud_monitoring_quality_scenario_recall", "Recall at the review threshold of the matured window's frauds of one scenario.",
        "model_version", "source", "scenario");

    public static readonly Counter QualityDaysComputed = Metrics.CreateCounter(
        "fraud_monitoring_quality_days_computed_total", "Days of live quality (re)computed, by source.", "source");

    public static readonly Counter QualityPassFailures = Metrics.CreateCounter(
        "fraud_monitoring_quality_pass_failures_total", "Live-quality passes that failed (the next one retries).");

    public static readonly Counter DriftReports = Metrics.CreateCounter(
        "fraud_monitoring_drift_reports_total", "Drift reports from scorers written to drift_counts and drift_daily.");

    public static readonly Counter ShadowVerdictsWritten = Metrics.CreateCounter(
        "fraud_monitoring_shadow_verdicts_written_total", "Challenger verdicts inserted into shadow_verdicts (replays do not count).");

    public static readonly Counter RetrainRequests = Metrics.CreateCounter(
        "fraud_monitoring_retrain_requests_total", "Retrain requests raised, by trigger (drift, quality).", "trigger");

    public static readonly Gauge RetrainRequestOpen = Metrics.CreateGauge(
        "fraud_monitoring_retrain_request_open", "1 while a retrain request raised by this instance is open (not yet answered by a trained version).");

    /// <summary>Publishes every series at zero from the start, so rates and alerts work before the first message.</summary>
    public static void Initialize()
    {
        foreach (var table in (string[])["transactions", "verdicts", "labels"])
        {
            RowsWritten.WithLabels(table);
        }
        foreach (var trigger in (string[])["drift", "quality"])
        {
            RetrainRequests.WithLabels(trigger);
        }
    }
}
