namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// How far one partition of the transactions topic is aggregated: every day up to and including
/// <see cref="ClosedThrough"/> is final and published (a late event may still correct one, counted by the aggregator).
/// Published after the day records it covers, on the same partition of the entity totals topic, so a reader that
/// sees it has seen them.
/// </summary>
/// <param name="Partition">the transactions (and labels) partition.</param>
/// <param name="Partitions">how many partitions the transactions topic has.</param>
/// <param name="ClosedThrough">the newest closed day (UTC days since 1970-01-01).</param>
/// <param name="ReportHorizonDays">the aggregator's report horizon: a scorer whose spec says otherwise must not read these totals.</param>
/// <param name="Idle">no traffic on the partition for a while: its days close with the others'.</param>
public sealed record EntityWatermark(int Partition, int Partitions, int ClosedThrough, int ReportHorizonDays, bool Idle);
