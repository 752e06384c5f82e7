using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The labelled rows of the history with their point-in-time features, in (event time, transaction id) order.
/// Features are row-major, <see cref="FeatureCount"/> per row: the computed ones (card, entity), then the encoded ones
/// once an encoding is applied (<see cref="Encode"/>). A table read from history also keeps each row's raw encoding
/// slots (<see cref="Encoding"/>), so a vocabulary can be learned from one slice and applied to all.
/// </summary>
internal sealed class FeatureTable(int featureCount, float[] features, bool[] labels, DateTimeOffset[] eventTimes, Utf8Column transactionIds,
    EncodingRows? encoding = null, int? computedCount = null)
{
    public int FeatureCount { get; } = featureCount;
    public int RowCount => Labels.Length;
    public float[] Features { get; } = features;
    public bool[] Labels { get; } = labels;
    public DateTimeOffset[] EventTimes { get; } = eventTimes;
    public Utf8Column TransactionIds { get; } = transactionIds;

    /// <summary>The rows' raw encoding slots; null for a table not read from history (a synthetic matrix).</summary>
    public EncodingRows? Encoding { get; } = encoding;

    /// <summary>Features per row before the encoded ones.</summary>
    public int ComputedCount { get; } = computedCount ?? featureCount;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    public long FraudCount => Labels.LongCount(l => l);

    /// <summary>Rows [start, start + count) as a table of their own.</summary>
    public FeatureTable Slice(int start, int count) => new(
        FeatureCount,
        Features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray(),
        Labels.AsSpan(start, count).ToArray(),
        EventTimes.AsSpan(start, count).ToArray(),
        TransactionIds.Slice(start, count),
        Encoding?.Slice(start, count),
        ComputedCount);

    /// <summary>
    /// The computed features of every row followed by <paramref name="encoding"/>'s (replacing any encoded features the
    /// table had): the table a model with that encoding trains on or is evaluated on.
    /// </summary>
    /// <exception cref="InvalidOperationException">the table keeps no encoding slots, or not those the encoding reads.</exception>
    public FeatureTable Encode(FeatureEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        if (encoding.IsNone)
        {
            return ComputedCount == FeatureCount ? this : Reshape(ComputedCount, (_, _) => { });
        }
        var rows = Encoding ?? throw new InvalidOperationException("the table keeps no encoding slots to encode");
        var map = rows.SlotsOf(encoding.Layout);
        var slots = new ulong[map.Length];
        var unseen = new bool[map.Length];
        return Reshape(ComputedCount + encoding.Count, (row, destination) =>
        {
            var source = rows.Row(row);
            for (var slot = 0; slot < map.Length; slot++)
            {
                slots[slot] = source[map[slot]];
            }
            encoding.Write(slots, destination[ComputedCount..], unseen);
        });
    }

    private FeatureTable Reshape(int width, Action<int, Span<float>> writeEncoded)
    {
        var features = GC.AllocateUninitializedArray<float>(RowCount * width);
        for (var row = 0; row < RowCount; row++)
        {
            var destination = features.AsSpan(row * width, width);
            Features.AsSpan(row * FeatureCount, ComputedCount).CopyTo(destination);
            writeEncoded(row, destination);
        }
        return new FeatureTable(width, features, Labels, EventTimes, TransactionIds, Encoding, ComputedCount);
    }
}
