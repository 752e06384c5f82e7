using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>The worker hands each transaction its partition's store; a batch mixes partitions.</summary>
public sealed class PartitionStoreBatchTests
{
    [Fact]
    public void A_batch_mixing_partition_stores_computes_what_one_store_per_partition_would()
    {
        var spec = CardStateSnapshotTests.Spec;
        var transactions = TestData.Transactions(1_200, cards: 90, seed: 31);
        static int PartitionOf(string card) => (int)(CardStateStore.KeyOf(card) % 3);

        // Reference: each partition's transactions alone, in order, through its own store.
        var expected = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var row = new float[spec.Count];
        for (var p = 0; p < 3; p++)
        {
            var cards = new CardStateStore(spec.CardIdleTtlMs);
            foreach (var t in transactions.Where(t => PartitionOf(t.CardId) == p))
            {
                BatchScorer.Fold(cards, Shared.Contracts.TransactionFields.Of(t), row, spec.CardIdleTtlMs);
                expected[t.TransactionId] = [.. row.Select(BitConverter.SingleToInt32Bits)];
            }
        }

        // Batches of 64 that interleave the partitions, as a consumer's fetches do.
        var stores = Enumerable.Range(0, 3).Select(_ => new CardStateStore(spec.CardIdleTtlMs)).ToArray();
        var batch = new BatchScorer(64, spec);
        var mismatches = 0;
        foreach (var chunk in transactions.Chunk(64))
        {
            foreach (var t in chunk)
            {
                batch.Add(t, DateTimeOffset.UnixEpoch, stores[PartitionOf(t.CardId)]);
            }
            for (var i = 0; i < batch.Count; i++)
            {
                var got = batch.FeaturesAt(i).ToArray().Select(BitConverter.SingleToInt32Bits);
                mismatches += expected[batch.TransactionAt(i).TransactionId.Text!].SequenceEqual(got) ? 0 : 1;
            }
            batch.Clear();
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(0, batch.CardCount);
        Assert.Equal(transactions.Select(t => t.CardId).Distinct().Count(), stores.Sum(s => s.Count));
    }
}
