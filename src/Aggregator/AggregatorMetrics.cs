using Prometheus;

namespace Fraud.Streaming.Aggregator;

/// <summary>The aggregator's Prometheus metrics. Names and labels are a contract with dashboards and alerts.</summary>
internal static class AggregatorMetrics
{
    public static readonly Counter Messages = Metrics.CreateCounter(
        "fraud_aggregator_messages_total", "Messages read for the first time, by topic (replays after a restart or rebalance are not counted).", "topic");

    public static readonly Counter Rejected = Metrics.CreateCounter(
        "fraud_aggregator_rejected_total", "Messages that are not valid contracts, by topic and reason (labels go to the labels DLQ; transactions are dead-lettered by the scorer).", "topic", "reason");

    public static readonly Counter Late = Metrics.CreateCounter(
        "fraud_aggregator_late_events_total", "Events for a day already closed and published: the day is corrected and published again; verdicts in between read the earlier totals.");

    public static readonly Counter TooLate = Metrics.CreateCounter(
        "fraud_aggregator_too_late_events_total", "Events for a day closed so long ago that no feature reads it any more: not applied.");

    public static readonly Counter Duplicates = Metrics.CreateCounter(
        "fraud_aggregator_duplicate_transactions_total", "Transactions whose id was seen before: counted once.");

    public static readonly Counter UnmatchedReports = Metrics.CreateCounter(
        "fraud_aggregator_unmatched_reports_total", "Fraud reports whose transaction never arrived in the same partition (labels not keyed or partitioned like transactions, or the transaction is older than the report horizon).");

    public static readonly Counter UnattributedReports = Metrics.CreateCounter(
        "fraud_aggregator_unattributed_reports_total", "Fraud reports outside the report horizon (or before their transaction): not counted, by the feature definition.");

    public static readonly Counter Published = Metrics.CreateCounter(
        "fraud_aggregator_records_published_total", "Records written to the entity totals topic, by kind (day, watermark, tombstone).", "kind");

    public static readonly Gauge ClosedThroughSeconds = Metrics.CreateGauge(
        "fraud_aggregator_closed_timestamp_seconds", "End (Unix seconds) of the newest closed day, per partition of the transactions topic.", "partition");

    public static readonly Gauge IndexedTransactions = Metrics.CreateGauge(
        "fraud_aggregator_indexed_transactions", "Transactions remembered for attributing fraud reports, over all assigned partitions.");

    public static readonly Gauge IdlePartitions = Metrics.CreateGauge(
        "fraud_aggregator_idle_partitions", "Assigned partitions whose transactions are idle (read to the end, nothing new for a while).");

    public static readonly Gauge Replaying = Metrics.CreateGauge(
        "fraud_aggregator_replaying_partitions", "Assigned partitions still being replayed from the beginning after an assignment.");

    public static readonly Counter Rebuilds = Metrics.CreateCounter(
        "fraud_aggregator_partition_rebuilds_total", "Partition assignments, each rebuilt by replaying the partition from its beginning.");
}
