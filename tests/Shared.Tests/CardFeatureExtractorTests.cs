using System.Runtime.CompilerServices;
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
        Assert.Equal(0f, f[Index("new_merchant")]);
        Assert.Equal(1f, f[Index("amount_ratio_to_max")]);
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
        Assert.Equal(1f, f[Index("new_country")]);
        Assert.Equal(1f, f[Index("new_device")]);
        Assert.Equal(1f, f[Index("distinct_countries")]);
        Assert.True(f[Index("amount_ratio_to_max")] > 50f);
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
        Assert.True(last[Index("small_amount_count_10m")] > 4f);
        Assert.True(last[Index("count_10m")] > 4f);
        Assert.Equal(1f, last[Index("merchant_changed")]);
        Assert.Equal(1f, last[Index("new_merchant")]);
        Assert.True(last[Index("new_merchant_count_24h")] > 3.9f); // t1..t4: the first transaction of a card is not "new"
        Assert.Equal(1f, last[Index("card_not_present")]);
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
        var spec = FeatureSpec.CardV1;
        Assert.Equal("card-v1", spec.Name);
        Assert.Same(spec, CardFeatureExtractor.Spec);
        Assert.Equal(16, spec.Hash.Length);
        Assert.Equal(spec.Count, spec.Names.Distinct().Count());
        Assert.Equal(spec.Hash, FeatureSpec.CardV1.Hash);
        // Pinned (docs/FEATURES.md): changing a name, a definition or the order must be deliberate.
        Assert.Equal("fb2e95e9fee31864", spec.Hash);
        Assert.Equal(36, spec.Count);
    }

    [Fact]
    public void The_served_spec_is_the_card_features_then_the_entity_features_and_its_hash_is_pinned()
    {
        var spec = FeatureSpec.CardEntityV1;
        Assert.Equal("card-entity-v1", spec.Name);
        Assert.Equal(FeatureSpec.CardV1.Names, spec.Names.Take(36));
        Assert.Equal(36 + Shared.Features.Entities.EntityFeatures.Count, spec.Count);
        Assert.Equal(spec.Count, spec.Names.Distinct().Count());
        Assert.Equal((3, 120), (spec.EntityLagHours, spec.ReportHorizonDays));
        // Pinned (docs/FEATURES.md): changing a name, a definition, the lag or the horizon must be deliberate.
        Assert.Equal("8315cbb5e504bc28", spec.Hash);
        Assert.Same(spec, FeatureSpec.Configure(FeatureSpec.DefaultCardIdleDays, 3, 120));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureSpec.Configure(30, 0, 120));
        Assert.Throws<ArgumentException>(() => FeatureSpec.Configure("card-v9", 30, 1, 120));
    }

    [Fact]
    public void Card_state_fits_in_256_bytes_and_holds_no_references()
    {
        Assert.True(Unsafe.SizeOf<CardState>() <= 256, $"CardState is {Unsafe.SizeOf<CardState>()} bytes");
        Assert.Equal(152, Unsafe.SizeOf<CardState>()); // the figure docs/FEATURES.md gives
        Assert.False(RuntimeHelpers.IsReferenceOrContainsReferences<CardState>());
    }

    [Fact]
    public void A_returning_merchant_is_not_new_but_a_changed_one()
    {
        var store = new CardStateStore();
        Run(store, ContractSamples.Transaction("a", merchant: "m1", at: T0));
        Run(store, ContractSamples.Transaction("b", merchant: "m2", at: T0.AddMinutes(1)));
        var f = Run(store, ContractSamples.Transaction("c", merchant: "m1", at: T0.AddMinutes(2)));
        Assert.Equal(1f, f[Index("merchant_changed")]);
        Assert.Equal(0f, f[Index("new_merchant")]);
        Assert.Equal(MathF.Log(3f), f[Index("distinct_merchants_log")], 5);
    }

    [Fact]
    public void Calendar_encodings_follow_the_utc_clock()
    {
        // 2026-01-03 is a Saturday; 03:00 UTC is night.
        var f = Run(new CardStateStore(), ContractSamples.Transaction(at: new DateTimeOffset(2026, 1, 3, 3, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1f, f[Index("is_night")]);
        Assert.Equal(1f, f[Index("is_weekend")]);
        Assert.Equal(MathF.Sin(2f * MathF.PI * 5f / 7f), f[Index("weekday_sin")], 5);
        Assert.Equal(MathF.Sin(2f * MathF.PI * 3f / 24f), f[Index("hour_sin")], 5);
        Assert.Equal(MathF.Cos(2f * MathF.PI * 3f / 24f), f[Index("hour_cos")], 5);
    }

    [Fact]
    public void Windows_decay_with_their_time_constants()
    {
        var store = new CardStateStore();
        Run(store, ContractSamples.Transaction("a", at: T0));
        var f = Run(store, ContractSamples.Transaction("b", at: T0.AddHours(1)));
        Assert.Equal(MathF.Exp(-1f), f[Index("count_1h")], 6);
        Assert.Equal(MathF.Exp(-6f), f[Index("count_10m")], 6);
        Assert.Equal(MathF.Exp(-1f / 24f), f[Index("count_24h")], 6);
        Assert.Equal(MathF.Exp(-1f / 168f), f[Index("count_7d")], 6);
    }

    private static float[] RunWithTtl(ref CardState state, Transaction t, long ttlMs)
    {
        var features = new float[CardFeatureExtractor.Spec.Count];
        CardFeatureExtractor.ExtractAndUpdate(ref state, t, features, ttlMs);
        return features;
    }

    [Fact]
    public void After_an_idle_gap_longer_than_the_ttl_a_card_is_exactly_a_new_card()
    {
        const long ttl = 3L * 86_400_000;
        var state = default(CardState);
        var random = new Random(5);
        for (var i = 0; i < 40; i++)
        {
            RunWithTtl(ref state, ContractSamples.Transaction($"h{i}", amount: random.Next(1, 500), at: T0.AddHours(i),
                merchant: $"m{random.Next(8)}", country: i % 5 == 0 ? "DE" : "FR"), ttl);
        }
        var late = ContractSamples.Transaction("late", amount: 77, at: T0.AddHours(39).AddMilliseconds(ttl + 1), merchant: "m3", device: "dev-9");

        var fresh = default(CardState);
        var expected = RunWithTtl(ref fresh, late, ttl);
        var actual = RunWithTtl(ref state, late, ttl);

        Assert.Equal(expected, actual);
        CardStateBytes.AssertEqual(fresh, state);
        Assert.Equal(-1f, actual[Index("secs_since_prev_log")]);
    }

    [Fact]
    public void A_gap_of_exactly_the_ttl_keeps_the_history()
    {
        const long ttl = 3L * 86_400_000;
        var state = default(CardState);
        RunWithTtl(ref state, ContractSamples.Transaction("a", at: T0), ttl);
        RunWithTtl(ref state, ContractSamples.Transaction("b", at: T0.AddMinutes(5)), ttl);
        var f = RunWithTtl(ref state, ContractSamples.Transaction("c", at: T0.AddMinutes(5).AddMilliseconds(ttl)), ttl);
        Assert.Equal(DeterministicMath.Log1P(2), f[Index("card_tx_count_log")]);
        Assert.NotEqual(-1f, f[Index("secs_since_prev_log")]);
        Assert.Equal(3, state.Count);
        // An out-of-order event (before the card's clock) never resets, however old.
        f = RunWithTtl(ref state, ContractSamples.Transaction("d", at: T0.AddDays(-100)), ttl);
        Assert.Equal(DeterministicMath.Log1P(3), f[Index("card_tx_count_log")]);
    }

    [Fact]
    public void The_card_idle_time_is_part_of_the_spec_hash()
    {
        var spec = FeatureSpec.CardV1;
        Assert.Equal(FeatureSpec.DefaultCardIdleTtlMs, spec.CardIdleTtlMs);
        Assert.Same(spec, spec.WithCardIdleDays(FeatureSpec.DefaultCardIdleDays));
        var other = spec.WithCardIdleDays(10);
        Assert.Equal(10L * 86_400_000, other.CardIdleTtlMs);
        Assert.Equal(spec.Name, other.Name);
        Assert.Equal(spec.Names, other.Names);
        Assert.NotEqual(spec.Hash, other.Hash);
        Assert.Equal(other.Hash, spec.WithCardIdleDays(10).Hash);
    }
}
