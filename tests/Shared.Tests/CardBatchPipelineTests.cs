using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class CardBatchPipelineTests
{
    [Fact]
    public void Pipelined_batches_equal_one_transaction_at_a_time()
    {
        var random = new Random(31);
        var t0 = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        // Few cards, so a batch holds the same card many times over, and new cards appear mid-batch (index growth).
        var stream = Enumerable.Range(0, 5000).Select(i => ContractSamples.Transaction(
            $"t{i}", card: $"c{random.Next(i < 2500 ? 50 : 3000)}", amount: random.Next(1, 900),
            at: t0.AddMinutes(i * 7 + random.Next(5)), merchant: $"m{random.Next(30)}")).ToArray();
        var count = CardFeatureExtractor.Spec.Count;
        const long ttl = 2L * 86_400_000;

        var single = new CardStateStore(ttl);
        var expected = new float[stream.Length * count];
        for (var i = 0; i < stream.Length; i++)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref single.GetOrAdd(stream[i].CardId), stream[i], expected.AsSpan(i * count, count), ttl);
        }

        var batched = new CardStateStore(ttl);
        var actual = new float[stream.Length * count];
        var keys = stream.Select(t => CardStateStore.KeyOf(t.CardId)).ToArray();
        var fields = stream.Select(TransactionFields.Of).ToArray();
        for (var start = 0; start < stream.Length;)
        {
            var size = Math.Min(random.Next(1, 700), stream.Length - start);
            CardBatchPipeline.ExtractAndUpdate(batched, keys.AsSpan(start, size), fields.AsSpan(start, size),
                actual.AsSpan(start * count), count, ttl);
            start += size;
        }

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(single.Count, batched.Count);
        foreach (var (key, state) in single)
        {
            Assert.True(batched.TryGet(key, out var other));
            CardStateBytes.AssertEqual(state, other);
        }
    }

    [Fact]
    public void Keys_and_transactions_of_different_lengths_are_refused()
    {
        var store = new CardStateStore();
        TransactionFields[] one = [TransactionFields.Of(ContractSamples.Transaction())];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            CardBatchPipeline.ExtractAndUpdate(store, new ulong[2], one, new float[100], CardFeatureExtractor.Spec.Count, 1000));
    }
}
