using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class CardStateStoreTests
{
    private const long Day = 86_400_000;

    private static CardState StateWith(long lastEventMs, int count) => new() { LastEventMs = lastEventMs, Count = count, MeanAmount = count * 0.5f };

    /// <summary>Bitwise equality (the default struct equality cannot compare inline arrays).</summary>
    private static void AssertEqual(CardState expected, CardState actual) =>
        Assert.Equal(
            MemoryMarshal.AsBytes(new ReadOnlySpan<CardState>(in expected)).ToArray(),
            MemoryMarshal.AsBytes(new ReadOnlySpan<CardState>(in actual)).ToArray());

    private static Dictionary<ulong, CardState> Contents(CardStateStore store)
    {
        var contents = new Dictionary<ulong, CardState>();
        foreach (var (key, state) in store)
        {
            Assert.True(contents.TryAdd(key, state), $"key {key} enumerated twice");
        }
        return contents;
    }

    private static void AssertSame(Dictionary<ulong, CardState> expected, CardStateStore store)
    {
        Assert.Equal(expected.Count, store.Count);
        var actual = Contents(store);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (key, state) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var got), $"key {key} missing from the enumeration");
            AssertEqual(state, got);
            Assert.True(store.TryGet(key, out got), $"key {key} not reachable");
            AssertEqual(state, got);
        }
    }

    [Fact]
    public void Random_inserts_updates_sets_and_removes_agree_with_a_dictionary()
    {
        var random = new Random(1234);
        var store = new CardStateStore();
        var reference = new Dictionary<ulong, CardState>();
        // Keys drawn from a small space so that removes hit and probe runs get long; a few keys share their low
        // bits so that they cluster in the index.
        var keys = Enumerable.Range(0, 3000).Select(i => i % 7 == 0 ? (ulong)i << 40 : (ulong)random.NextInt64()).ToArray();
        for (var step = 0; step < 60_000; step++)
        {
            var key = keys[random.Next(keys.Length)];
            switch (random.Next(10))
            {
                case < 4:
                    ref var state = ref store.GetOrAdd(key);
                    reference.TryGetValue(key, out var before);
                    AssertEqual(before, state);
                    state.Count++;
                    state.LastEventMs = step;
                    reference[key] = state;
                    break;
                case < 6:
                    var set = StateWith(step, random.Next(100));
                    store.Set(key, set);
                    reference[key] = set;
                    break;
                default:
                    Assert.Equal(reference.Remove(key), store.Remove(key));
                    Assert.False(store.TryGet(key, out _));
                    break;
            }
            if (step % 5000 == 0)
            {
                AssertSame(reference, store);
            }
        }
        AssertSame(reference, store);
        // Grow from empty to many, then remove all but a few: every remaining key stays reachable.
        for (var i = 0; i < 20_000; i++)
        {
            var key = (ulong)random.NextInt64();
            var set = StateWith(i, i + 1);
            store.Set(key, set);
            reference[key] = set;
        }
        AssertSame(reference, store);
        foreach (var key in reference.Keys.Where((_, i) => i % 10 != 0).ToList())
        {
            Assert.True(store.Remove(key));
            reference.Remove(key);
        }
        AssertSame(reference, store);
    }

    [Fact]
    public void Card_ids_map_to_stable_keys()
    {
        // FNV-1a 64 reference values: the empty string is the offset basis; "a" is a published test vector.
        Assert.Equal(0xcbf29ce484222325ul, CardStateStore.KeyOf(""));
        Assert.Equal(0xaf63dc4c8601ec8cul, CardStateStore.KeyOf("a"));
        var store = new CardStateStore();
        store.GetOrAdd("card-1").Count = 5;
        Assert.Equal(5, store.GetOrAdd(CardStateStore.KeyOf("card-1")).Count);
        Assert.Equal(0, store.GetOrAdd("card-2").Count);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Expiry_removes_exactly_the_cards_idle_for_longer_than_the_ttl()
    {
        var random = new Random(77);
        var store = new CardStateStore(idleTtlMs: 30 * Day);
        var now = 400 * Day;
        var reference = new Dictionary<ulong, CardState>();
        for (var i = 0; i < 10_000; i++)
        {
            var key = (ulong)random.NextInt64();
            // Around the boundary on purpose: idle for exactly the TTL stays, one millisecond more goes.
            var last = now - (30 * Day) + random.Next(-3, 4);
            var set = StateWith(i % 3 == 0 ? last : now - random.NextInt64(60 * Day), 1 + random.Next(5));
            store.Set(key, set);
            reference[key] = set;
        }
        var expected = reference.Where(p => now - p.Value.LastEventMs > 30 * Day).Select(p => p.Key).ToHashSet();
        Assert.InRange(expected.Count, 1000, 9000);

        var removed = store.ExpireIdle(now);

        Assert.Equal(expected.Count, removed);
        foreach (var key in expected)
        {
            reference.Remove(key);
        }
        AssertSame(reference, store);
        Assert.Equal(0, store.ExpireIdle(now));
        Assert.Equal(0, store.ExpireIdle(long.MinValue));
        Assert.Equal(reference.Count, store.Count);
    }

    [Fact]
    public void Expiry_gives_memory_back()
    {
        var store = new CardStateStore(idleTtlMs: Day);
        for (var i = 0; i < 50_000; i++)
        {
            store.Set((ulong)i * 0x9E3779B97F4A7C15ul, StateWith(i < 45_000 ? 0 : 10 * Day, 1));
        }
        var full = store.MemoryBytes;
        Assert.Equal(45_000, store.ExpireIdle(10 * Day));
        Assert.Equal(5_000, store.Count);
        Assert.True(store.MemoryBytes < full / 2, $"{store.MemoryBytes} bytes after expiry, {full} before");
    }

    [Fact]
    public void Clear_empties_the_store()
    {
        var store = new CardStateStore();
        for (var i = 0; i < 1000; i++)
        {
            store.GetOrAdd($"c{i}").Count = 1;
        }
        store.Clear();
        Assert.Equal(0, store.Count);
        Assert.Empty(Contents(store));
        Assert.Equal(0, store.GetOrAdd("c1").Count);
    }

    [Fact]
    public void Changing_the_store_while_enumerating_fails_loudly()
    {
        var store = new CardStateStore();
        store.GetOrAdd(1ul);
        store.GetOrAdd(2ul);
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var (key, _) in store)
            {
                store.Remove(key);
            }
        });
    }

    [Fact]
    public void A_card_costs_at_most_256_bytes_including_the_table()
    {
        // Per entry: the key and the state inline.
        Assert.True(Unsafe.SizeOf<CardState>() + sizeof(ulong) <= 256);
        // Whole store, index and pages included, after every insert from four pages on (below that the slack of
        // the last page dominates a store too small to matter), so the fills just after a growth are covered.
        var store = new CardStateStore();
        var worst = 0d;
        for (var i = 1; i <= 200_000; i++)
        {
            store.GetOrAdd((ulong)i * 0x9E3779B97F4A7C15ul);
            if (i >= 4 * CardStateStore.PageSize)
            {
                worst = Math.Max(worst, (double)store.MemoryBytes / store.Count);
            }
        }
        Assert.True(worst <= 256, $"{worst:F1} bytes per card");
        Assert.True(store.MemoryBytes / (double)store.Count >= Unsafe.SizeOf<CardState>(), "memory accounting misses the entries");
    }
}
