namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The labelled rows of the history with their point-in-time features, in (event time, transaction id) order.
/// Features are row-major, <see cref="FeatureCount"/> per row.
/// </summary>
/// <param name="merchantKeys">each row's merchant key (<see cref="Shared.Features.FeatureInput.MerchantKeyOf"/>), for a spec
/// with merchant features (to re-read the merchant features from another model's table); null otherwise.</param>
internal sealed class FeatureTable(int featureCount, float[] features, bool[] labels, DateTimeOffset[] eventTimes, Utf8Column transactionIds,
    ulong[]? merchantKeys = null)
{
    public int FeatureCount { get; } = featureCount;
    public int RowCount => Labels.Length;
    public float[] Features { get; } = features;
    public bool[] Labels { get; } = labels;
    public DateTimeOffset[] EventTimes { get; } = eventTimes;
    public Utf8Column TransactionIds { get; } = transactionIds;
    public ulong[]? MerchantKeys { get; } = merchantKeys;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    public long FraudCount => Labels.LongCount(l => l);

    /// <summary>Rows [start, start + count) as a table of their own.</summary>
    public FeatureTable Slice(int start, int count) => new(
        FeatureCount,
        Features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray(),
        Labels.AsSpan(start, count).ToArray(),
        EventTimes.AsSpan(start, count).ToArray(),
        TransactionIds.Slice(start, count),
        MerchantKeys?.AsSpan(start, count).ToArray());

    /// <summary>
    /// A copy whose merchant features (the last <see cref="Shared.Features.MerchantTable.FeatureCount"/> of each row) come from
    /// <paramref name="merchants"/>: how the rows read to a model trained with that table.
    /// </summary>
    public FeatureTable WithMerchantFeatures(Shared.Features.MerchantTable merchants)
    {
        var merchantKeys = MerchantKeys ?? throw new InvalidOperationException("this table has no merchant keys");
        var features = Features.ToArray();
        for (var i = 0; i < RowCount; i++)
        {
            merchants.Append(merchantKeys[i], features.AsSpan(i * FeatureCount, FeatureCount));
        }
        return new(FeatureCount, features, Labels, EventTimes, TransactionIds, merchantKeys);
    }
}
