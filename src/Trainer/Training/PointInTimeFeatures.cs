using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Replays history through the shared feature pipeline exactly as the scorer does per event: one
/// <see cref="CardStateStore"/>, <see cref="CardFeatureExtractor.ExtractAndUpdate(ref CardState, Shared.Contracts.Transaction, Span{float}, long)"/> per transaction, in
/// (event time, transaction id) order, which it enforces. With <paramref name="merchants"/>, the merchant features
/// are appended after the card features by <see cref="MerchantTable.Append"/>, the stage the scorer runs; without,
/// the tail of a spec with merchant features is left for the caller to fill (<see cref="FeatureTableBuilder"/>).
/// </summary>
internal sealed class PointInTimeFeatures(FeatureSpec spec, MerchantTable? merchants = null)
{
    private readonly CardStateStore _cards = new(spec.CardIdleTtlMs);
    private readonly float[] _row = new float[spec.Count];
    private const int SweepEvery = 1 << 20;
    private Transaction? _previous;

    public long TransactionCount { get; private set; }
    public int CardCount => _cards.Count;

    /// <summary>The features of <paramref name="t"/> as of just before it; valid until the next call.</summary>
    /// <exception cref="InvalidDataException">the transactions are not in (event time, transaction id) order.</exception>
    public ReadOnlySpan<float> Next(Transaction t)
    {
        if (_previous is { } previous && HistoryOrder.Compare(previous, t) > 0)
        {
            throw new InvalidDataException(
                $"history is not in event-time order: {t.TransactionId} at {t.EventTime:O} after {previous.TransactionId} at {previous.EventTime:O}");
        }
        _previous = t;
        TransactionCount++;
        if (TransactionCount % SweepEvery == 0)
        {
            // History is in event-time order, so a card idle relative to this event resets on its next one anyway.
            _cards.ExpireIdle(t.EventTime.ToUnixTimeMilliseconds());
        }
        CardFeatureExtractor.ExtractAndUpdate(ref _cards.GetOrAdd(t.CardId), t, _row, spec.CardIdleTtlMs);
        if (merchants is not null && spec.HasMerchantFeatures)
        {
            merchants.Append(t.MerchantId, _row);
        }
        return _row;
    }
}
