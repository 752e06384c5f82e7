using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class CardFeatureExtractorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static float[] Run(CardStateStore store, Transaction t)
    {
        var features = new float[CardFeatureExtractor.Spec.Count];
        CardFeatureExtractor.ExtractAndUpdate(ref store.GetOrAdd(t.CardId), t, features);
        return features;
    }

    private static int Index(string name) => CardFeatureExtractor.Spec.Names.ToList().IndexOf(name);

    [Fact]
    public void A_new_card_has_neutral_history_features()
    {
        var f = Run(new CardStateStore(), ContractSamples.Transaction(at: T0));
        Assert.Equal(-1f, f[Index("secs_since_prev_log")]);
        Assert.Equal(0f, f[Index("card_tx_count_log")]);
        Assert.Equal(0f, f[Index("count_1h")]);
        Assert.Equal(1f, f[Index("amount_ratio_to_mean")]);
        Assert.Equal(0f, f[Index("country_changed")]);
    }

    [Fact]
    public void History_features_describe_only_earlier_transactions()
    {
        var store = new CardStateStore();
        Run(store, ContractSamples.Transaction("a", amount: 10, at: T0));
        var f = Run(store, ContractSamples.Transaction("b", amount: 1000, at: T0.AddMinutes(1), country: "BR", device: "new"));
        Assert.Equal(MathF.Log(1f + 60f), f[Index("secs_since_prev_log")], 5);
        Assert.InRange(f[Index("count_1h")], 0.98f, 1f);
        Assert.True(f[Index("amount_ratio_to_mean")] > 50f);
        Assert.Equal(1f, f[Index("country_changed")]);
        Assert.Equal(1f, f[Index("device_changed")]);
    }

    [Fact]
    public void Cards_do_not_share_state()
    {
        var store = new CardStateStore();
        Run(store, ContractSamples.Transaction("a", card: "c1", at: T0));
        var f = Run(store, ContractSamples.Transaction("b", card: "c2", at: T0.AddSeconds(1)));
        Assert.Equal(-1f, f[Index("secs_since_prev_log")]);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void An_out_of_order_event_counts_as_no_elapsed_time_and_keeps_the_card_clock()
    {
        var store = new CardStateStore();
        Run(store, ContractSamples.Transaction("a", at: T0.AddHours(1)));
        var late = Run(store, ContractSamples.Transaction("b", at: T0));
        Assert.Equal(0f, late[Index("secs_since_prev_log")]);
        Assert.Equal(T0.AddHours(1).ToUnixTimeMilliseconds(), store.GetOrAdd("card-1").LastEventMs);
    }

    [Fact]
    public void Card_testing_bursts_raise_the_small_amount_feature()
    {
        var store = new CardStateStore();
        float[] last = [];
        for (var i = 0; i < 6; i++)
        {
            last = Run(store, ContractSamples.Transaction($"t{i}", amount: 1, at: T0.AddSeconds(20 * i), merchant: $"m{i}", channel: "online"));
        }
        Assert.True(last[Index("small_amount_burst_10m")] > 4f);
        Assert.Equal(1f, last[Index("merchant_changed")]);
        Assert.Equal(1f, last[Index("channel_online")]);
    }

    [Fact]
    public void The_same_stream_gives_bitwise_identical_features_in_a_fresh_store()
    {
        var random = new Random(9);
        var stream = Enumerable.Range(0, 500).Select(i => ContractSamples.Transaction(
            $"t{i}", card: $"c{random.Next(20)}", amount: Math.Round(random.NextDouble() * 300, 2),
            at: T0.AddSeconds(i * 37), country: random.Next(10) == 0 ? "US" : "FR")).ToList();
        var a = new CardStateStore();
        var b = new CardStateStore();
        foreach (var t in stream)
        {
            Assert.Equal(Run(a, t), Run(b, t));
        }
    }

    [Fact]
    public void The_spec_hash_is_stable_and_names_are_unique()
    {
        var spec = FeatureSpec.CardV0;
        Assert.Equal(16, spec.Hash.Length);
        Assert.Equal(spec.Count, spec.Names.Distinct().Count());
        Assert.Equal(spec.Hash, FeatureSpec.CardV0.Hash);
    }
}
