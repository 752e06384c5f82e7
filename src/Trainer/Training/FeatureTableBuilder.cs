using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The training table: history through <see cref="PointInTimeFeatures"/> (the scorer's per-event pipeline).
/// Every transaction updates state; only labelled ones become training rows.
/// </summary>
/// <remarks>
/// Rows collect in fixed-size chunks and are copied once, into arrays of the exact size, by <see cref="Build"/>.
/// Doubling one array instead copied and zeroed the features (hundreds of MB for millions of rows) about three
/// times over, which with the page faults of fresh memory was a third of the offline path's time.
/// </remarks>
internal sealed class FeatureTableBuilder(FeatureSpec spec)
{
    private const int ChunkRows = 1 << 16;

    private readonly PointInTimeFeatures _pipeline = new(spec);
    private readonly int _featureCount = spec.Count;
    private readonly List<Chunk> _chunks = [];

    public long TransactionCount => _pipeline.TransactionCount;
    public int LabelledCount { get; private set; }
    public int CardCount => _pipeline.CardCount;

    /// <exception cref="InvalidDataException">the rows are not in (event time, transaction id) order.</exception>
    public void Add(HistoryRow row)
    {
        var t = row.Transaction;
        var features = _pipeline.Next(t);
        if (row.IsFraud is not { } isFraud)
        {
            return;
        }
        var index = LabelledCount % ChunkRows;
        if (index == 0)
        {
            _chunks.Add(new Chunk(_featureCount));
        }
        var chunk = _chunks[^1];
        features.CopyTo(chunk.Features.AsSpan(index * _featureCount));
        chunk.Labels[index] = isFraud;
        chunk.Times[index] = t.EventTime;
        chunk.Ids[index] = t.TransactionId;
        LabelledCount++;
    }

    public FeatureTable Build()
    {
        var features = GC.AllocateUninitializedArray<float>(LabelledCount * _featureCount);
        var labels = new bool[LabelledCount];
        var times = new DateTimeOffset[LabelledCount];
        var ids = new string[LabelledCount];
        for (var c = 0; c < _chunks.Count; c++)
        {
            var start = c * ChunkRows;
            var rows = Math.Min(ChunkRows, LabelledCount - start);
            var chunk = _chunks[c];
            chunk.Features.AsSpan(0, rows * _featureCount).CopyTo(features.AsSpan(start * _featureCount));
            chunk.Labels.AsSpan(0, rows).CopyTo(labels.AsSpan(start));
            chunk.Times.AsSpan(0, rows).CopyTo(times.AsSpan(start));
            chunk.Ids.AsSpan(0, rows).CopyTo(ids.AsSpan(start));
        }
        return new FeatureTable(_featureCount, features, labels, times, ids);
    }

    private sealed class Chunk(int featureCount)
    {
        public float[] Features { get; } = GC.AllocateUninitializedArray<float>(ChunkRows * featureCount);
        public bool[] Labels { get; } = new bool[ChunkRows];
        public DateTimeOffset[] Times { get; } = new DateTimeOffset[ChunkRows];
        public string[] Ids { get; } = new string[ChunkRows];
    }
}
