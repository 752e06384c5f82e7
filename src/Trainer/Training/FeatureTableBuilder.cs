using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The training table: history through <see cref="PointInTimeFeatures"/> (the scorer's per-event pipeline).
/// Every transaction updates state; only labelled ones become training rows.
/// </summary>
internal sealed class FeatureTableBuilder
{
    private readonly PointInTimeFeatures _pipeline;
    private readonly int _featureCount;
    private float[] _features;
    private bool[] _labels;
    private DateTimeOffset[] _times;
    private string[] _ids;

    public FeatureTableBuilder(FeatureSpec spec)
    {
        _featureCount = spec.Count;
        _pipeline = new PointInTimeFeatures(spec);
        _features = new float[1024 * _featureCount];
        _labels = new bool[1024];
        _times = new DateTimeOffset[1024];
        _ids = new string[1024];
    }

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
        if (LabelledCount == _labels.Length)
        {
            var capacity = _labels.Length * 2;
            Array.Resize(ref _features, capacity * _featureCount);
            Array.Resize(ref _labels, capacity);
            Array.Resize(ref _times, capacity);
            Array.Resize(ref _ids, capacity);
        }
        features.CopyTo(_features.AsSpan(LabelledCount * _featureCount));
        _labels[LabelledCount] = isFraud;
        _times[LabelledCount] = t.EventTime;
        _ids[LabelledCount] = t.TransactionId;
        LabelledCount++;
    }

    public FeatureTable Build() => new(
        _featureCount,
        _features.AsSpan(0, LabelledCount * _featureCount).ToArray(),
        _labels.AsSpan(0, LabelledCount).ToArray(),
        _times.AsSpan(0, LabelledCount).ToArray(),
        _ids.AsSpan(0, LabelledCount).ToArray());
}
