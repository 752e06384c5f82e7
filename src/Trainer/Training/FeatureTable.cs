namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The labelled rows of the history with their point-in-time features, in (event time, transaction id) order.
/// Features are row-major, <see cref="FeatureCount"/> per row.
/// </summary>
internal sealed class FeatureTable(int featureCount, float[] features, bool[] labels, DateTimeOffset[] eventTimes, Utf8Column transactionIds)
{
    public int FeatureCount { get; } = featureCount;
    public int RowCount => Labels.Length;
    public float[] Features { get; } = features;
    public bool[] Labels { get; } = labels;
    public DateTimeOffset[] EventTimes { get; } = eventTimes;
    public Utf8Column TransactionIds { get; } = transactionIds;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    public long FraudCount => Labels.LongCount(l => l);

    /// <summary>Rows [start, start + count) as a table of their own.</summary>
    public FeatureTable Slice(int start, int count) => new(
        FeatureCount,
        Features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray(),
        Labels.AsSpan(start, count).ToArray(),
        EventTimes.AsSpan(start, count).ToArray(),
        TransactionIds.Slice(start, count));
}
