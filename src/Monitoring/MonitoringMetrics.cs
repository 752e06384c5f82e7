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

    /// <summary>Publishes every series at zero from the start, so rates and alerts work before the first message.</summary>
    public static void Initialize()
    {
        foreach (var table in (string[])["transactions", "verdicts", "labels"])
        {
            RowsWritten.WithLabels(table);
        }
    }
}
