using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// <see cref="CardFeatureExtractor.ExtractAndUpdate(ref CardState, Transaction, Span{float}, long)"/> over a batch,
/// in order, with the card lookups pipelined: while one transaction is processed, the index slots and states of
/// the next few are already being loaded. With millions of cards each lookup misses the cache twice (slot, then
/// state); overlapping those misses with useful work is what keeps a large store near the speed of a small one.
/// The results are exactly those of calling the extractor per transaction in the same order.
/// </summary>
public static class CardBatchPipeline
{
    /// <summary>How far ahead the index slot is requested; the state is requested half as far ahead.</summary>
    private const int SlotDistance = 8;
    private const int StateDistance = 4;

    /// <summary>Extracts and folds <paramref name="transactions"/> in order; row <c>i</c> of <paramref name="features"/> (row-major, <paramref name="featureCount"/> wide) is transaction <c>i</c>'s.</summary>
    /// <param name="keys">each transaction's <see cref="CardStateStore.KeyOf(string)"/>(card id).</param>
    public static void ExtractAndUpdate(
        CardStateStore cards,
        ReadOnlySpan<ulong> keys,
        ReadOnlySpan<TransactionFields> transactions,
        Span<float> features,
        int featureCount,
        long cardIdleTtlMs)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(keys.Length, transactions.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, transactions.Length * featureCount);
        var n = transactions.Length;
        for (var i = 0; i < Math.Min(n, SlotDistance); i++)
        {
            cards.PrefetchSlot(keys[i]);
        }
        for (var i = 0; i < n; i++)
        {
            if (i + SlotDistance < n)
            {
                cards.PrefetchSlot(keys[i + SlotDistance]);
            }
            if (i + StateDistance < n)
            {
                cards.PrefetchState(keys[i + StateDistance]);
            }
            CardFeatureExtractor.ExtractAndUpdate(
                ref cards.GetOrAdd(keys[i]), FeatureInput.Of(transactions[i], keys[i]), features.Slice(i * featureCount, featureCount), cardIdleTtlMs);
        }
    }
}
