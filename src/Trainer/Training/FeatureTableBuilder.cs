using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Replays history through the shared feature pipeline exactly as the scorer does per event: one
/// <see cref="CardStateStore"/>, <see cref="CardFeatureExtractor.ExtractAndUpdate"/> per transaction in event-time
/// order. Every transaction updates state; only labelled ones become training rows.
/// </summary>
internal sealed class FeatureTableBuilder
{
    private readonly CardStateStore _cards = new();
    private readonly float[] _row;
    private readonly int _featureCount;
    private float[] _features;
    private bool[] _labels;
    private DateTimeOffset[] _times;
    private string[] _ids;
    private HistoryRow? _previous;

    public FeatureTableBuilder(FeatureSpec spec)
    {
        _featureCount = spec.Count;
        _row = new float[_featureCount];
        _features = new float[1024 * _featureCount];
        _labels = new bool[1024];
        _times = new DateTimeOffset[1024];
        _ids = new string[1024];
    }

    public long TransactionCount { get; private set; }
    public int LabelledCount { get; private set; }
    public int CardCount => _cards.Count;

    /// <exception cref="InvalidDataException">the rows are not in (event time, transaction id) order.</exception>
    public void Add(HistoryRow row)
    {
        var t = row.Transaction;
        if (_previous is { } previous && HistoryOrder.Compare(previous.Transaction, t) > 0)
        {
            throw new InvalidDataException(
                $"history is not in event-time order: {t.TransactionId} at {t.EventTime:O} after {previous.Transaction.TransactionId} at {previous.Transaction.EventTime:O}");
        }
        _previous = row;
        TransactionCount++;

        CardFeatureExtractor.ExtractAndUpdate(ref _cards.GetOrAdd(t.CardId), t, _row);
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
        _row.CopyTo(_features.AsSpan(LabelledCount * _featureCount));
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
