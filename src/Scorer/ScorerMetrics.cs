using Prometheus;

namespace Fraud.Streaming.Scorer;

/// <summary>The scorer's Prometheus metrics. Names and labels are a contract with dashboards and alerts.</summary>
internal static class ScorerMetrics
{
    public static readonly Counter Transactions = Metrics.CreateCounter(
        "fraud_scorer_transactions_total", "Transactions scored, by decision.", "decision");

    /// <summary>The <see cref="Transactions"/> children indexed by <see cref="Shared.Contracts.Decision"/>, resolved once.</summary>
    public static readonly Counter.Child[] ByDecision =
    [
        Transactions.WithLabels("approve"),
        Transactions.WithLabels("review"),
        Transactions.WithLabels("decline"),
    ];

    public static readonly Counter Dlq = Metrics.CreateCounter(
        "fraud_scorer_dlq_total", "Messages sent to the dead-letter topic, by reject reason.", "reason");

    public static readonly Counter DlqStubs = Metrics.CreateCounter(
        "fraud_scorer_dlq_stubs_total", "Rejected messages dead-lettered as a stub (reference, size, reason, headers) because the whole copy did not fit the size limit.");

    public static readonly Histogram ProcessingSeconds = Metrics.CreateHistogram(
        "fraud_scorer_processing_seconds", "Per batch: first message consumed to its offsets committed, every verdict acknowledged (the commit overlaps the next batch's reading).",
        new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static readonly Histogram EventLatencySeconds = Metrics.CreateHistogram(
        "fraud_scorer_event_latency_seconds", "Per transaction: Kafka publish timestamp to verdict produced.",
        new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "fraud_scorer_batch_size", "Messages per micro-batch (verdicts and rejects).",
        new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });

    public static readonly Gauge ModelInfo = Metrics.CreateGauge(
        "fraud_scorer_model_info", "1 for the model version serving now, 0 for versions served before.", "version");

    public static readonly Gauge Ready = Metrics.CreateGauge(
        "fraud_scorer_ready", "1 while /readyz answers 200 (model loaded, partitions assigned, card state restored), else 0; read at each scrape.");

    public static readonly Counter ModelSwaps = Metrics.CreateCounter(
        "fraud_scorer_model_swaps_total", "Times a new model replaced the serving one.");

    public static readonly Counter UnseenValues = Metrics.CreateCounter(
        "fraud_scorer_unseen_values_total",
        "Values outside the serving model's learned vocabulary, by field (channel, merchant_category, country, currency, email_domain, attributes.NAME): encoded as unseen. A rise is drift in how the data is written.",
        "field");

    public static readonly Counter ModelRejected = Metrics.CreateCounter(
        "fraud_scorer_model_rejected_total", "Announced models refused, by reason.", "reason");

    public static readonly Gauge ConsumerLag = Metrics.CreateGauge(
        "fraud_scorer_consumer_lag", "Messages behind the high watermark, per assigned partition of the transactions topic.", "partition");

    public static readonly Histogram StateRestoreSeconds = Metrics.CreateHistogram(
        "fraud_scorer_state_restore_seconds", "Per assigned partition: snapshot load plus replay up to the committed offset, before scoring resumes.",
        new HistogramConfiguration { Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    public static readonly Counter StateCardsRestored = Metrics.CreateCounter(
        "fraud_scorer_state_cards_restored_total", "Card states loaded from snapshots on partition assignment.");

    public static readonly Counter StateEventsReplayed = Metrics.CreateCounter(
        "fraud_scorer_state_events_replayed_total", "Transactions-topic messages replayed into card state (no verdicts) on partition assignment.");

    public static readonly Counter StateSnapshots = Metrics.CreateCounter(
        "fraud_scorer_state_snapshots_total", "Per-partition card-state snapshots, by result (written, failed).", "result");

    public static readonly Histogram StateSnapshotPauseSeconds = Metrics.CreateHistogram(
        "fraud_scorer_state_snapshot_pause_seconds", "Per snapshot of a partition: the time scoring stops to serialize its card states (storing them happens in the background, except on revoke and shutdown).",
        new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    public static readonly Counter StateSnapshotsDiscarded = Metrics.CreateCounter(
        "fraud_scorer_state_snapshots_discarded_total", "Stored snapshots not used on restore, by reason (format, spec_mismatch, ahead_of_commit, unreadable).", "reason");

    public static readonly Gauge CardsActive = Metrics.CreateGauge(
        "fraud_scorer_cards_active", "Cards whose feature state the scorer holds in memory.");

    public static readonly Counter CardsExpired = Metrics.CreateCounter(
        "fraud_scorer_cards_expired_total", "Cards dropped from memory after being idle longer than the card idle time.");

    public static readonly Gauge CardStateBytes = Metrics.CreateGauge(
        "fraud_scorer_card_state_bytes", "Bytes held by the per-card feature state (index and entries).");

    public static readonly Counter EntityRecords = Metrics.CreateCounter(
        "fraud_scorer_entity_records_total", "Records of the entity totals topic applied to the merchant and device table.");

    public static readonly Counter EntityRecordsRejected = Metrics.CreateCounter(
        "fraud_scorer_entity_records_rejected_total", "Records of the entity totals topic that could not be read and were skipped.");

    public static readonly Counter EntityStale = Metrics.CreateCounter(
        "fraud_scorer_entity_stale_total", "Transactions whose merchant/device features read an older day than their own because the aggregator had not closed it.");

    public static readonly Counter EntityBeyondRetained = Metrics.CreateCounter(
        "fraud_scorer_entity_beyond_retained_total", "Batches that read entity days the scorer had already dropped (a partition far behind the others).");

    public static readonly Histogram EntityWaitSeconds = Metrics.CreateHistogram(
        "fraud_scorer_entity_wait_seconds", "Per batch that waited: time spent waiting for the aggregator to close the days the batch reads.",
        new HistogramConfiguration { Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static readonly Gauge EntityDegraded = Metrics.CreateGauge(
        "fraud_scorer_entity_degraded", "1 while batches read older entity days than their own because the aggregator is behind, else 0.");

    public static readonly Gauge EntityCompleteSeconds = Metrics.CreateGauge(
        "fraud_scorer_entity_complete_timestamp_seconds", "End (Unix seconds) of the newest day the aggregator closed in every partition.");

    public static readonly Gauge EntityEntities = Metrics.CreateGauge(
        "fraud_scorer_entity_entities", "Merchants and devices the entity table holds, by kind.", "kind");

    public static readonly Gauge DriftActive = Metrics.CreateGauge(
        "fraud_scorer_drift_active", "1 while the serving model has a binned reference and drift is counted, else 0.");

    public static readonly Gauge DriftWindowTransactions = Metrics.CreateGauge(
        "fraud_scorer_drift_window_transactions", "Transactions in the drift sliding window (Drift:WindowSeconds of wall-clock time).");

    public static readonly Gauge DriftFeaturePsi = Metrics.CreateGauge(
        "fraud_scorer_drift_psi", "Population stability index of a feature over the sliding window against the model's training reference.", "feature");

    public static readonly Gauge DriftScorePsi = Metrics.CreateGauge(
        "fraud_scorer_drift_score_psi", "Population stability index of the score over the sliding window against the model's holdout scores.");

    public static readonly Gauge DriftUnseenRatio = Metrics.CreateGauge(
        "fraud_scorer_drift_unseen_ratio", "Share of the sliding window's transactions whose categorical value the training data never had, by field.", "field");

    public static readonly Counter DriftReports = Metrics.CreateCounter(
        "fraud_scorer_drift_reports_total", "Drift reports published on the drift topic, by result (delivered, failed).", "result");

    public static readonly Gauge ShadowModelInfo = Metrics.CreateGauge(
        "fraud_scorer_shadow_model_info", "1 for the challenger version scored in shadow now, 0 for challengers scored before.", "version");

    public static readonly Counter ShadowTransactions = Metrics.CreateCounter(
        "fraud_scorer_shadow_transactions_total", "Transactions the challenger scored in shadow, by result (published, skipped: over Scorer:ShadowMaxRowsPerSecond, failed: not delivered).", "result");
}
