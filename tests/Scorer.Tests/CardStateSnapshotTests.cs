using System.Runtime.InteropServices;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>The snapshot format and the two-slot snapshot store (folder; S3 when the stand-in runs).</summary>
public sealed class CardStateSnapshotTests : IDisposable
{
    private const string Topic = "fraud.transactions";

    /// <summary>What a scorer on default settings computes.</summary>
    internal static readonly FeatureSpec Spec = new ScorerOptions().FeatureSpec();
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_snapshot_round_trips_every_card_state_byte_for_byte()
    {
        var cards = Fold(TestData.Transactions(2_000, cards: 150, seed: 7));
        var snapshot = CardStateSnapshot.Of(Spec, Topic, 3, 2_000, cards);

        var read = CardStateSnapshot.Deserialize(snapshot.Serialize(), Spec, Topic, 3);

        Assert.Equal(2_000, read.NextOffset);
        Assert.Equal(BatchScorer.Spec.Hash, read.SpecHash);
        Assert.Equal(150, read.Cards.Count);
        Assert.Equal(Bytes(cards), Bytes(read.Cards));
    }

    [Fact]
    public void Scoring_continues_from_a_loaded_snapshot_exactly_as_without_the_interruption()
    {
        var transactions = TestData.Transactions(1_000, cards: 60, seed: 8);
        var uninterrupted = Features(new CardStateStore(Spec.CardIdleTtlMs), transactions);

        var cards = Fold(transactions.Take(600));
        var loaded = CardStateSnapshot.Deserialize(CardStateSnapshot.Of(Spec, Topic, 0, 600, cards).Serialize(), Spec, Topic, 0).Cards;
        var resumed = Features(loaded, transactions.Skip(600));

        Assert.Equal(uninterrupted.Skip(600 * BatchScorer.Spec.Count).Select(BitConverter.SingleToInt32Bits), resumed.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_snapshot_of_another_feature_spec_is_refused()
    {
        var cards = Fold(TestData.Transactions(50, cards: 5));
        var other = new CardStateSnapshot("card-v0", "0123456789abcdef", Topic, 1, 50, cards);

        var ex = Assert.Throws<SnapshotRejectedException>(() => CardStateSnapshot.Deserialize(other.Serialize(), Spec, Topic, 1));

        Assert.Equal(SnapshotRejectedException.Spec, ex.Code);
        Assert.Contains("card-v0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_or_misplaced_snapshot_is_refused()
    {
        var bytes = CardStateSnapshot.Of(Spec, Topic, 1, 50, Fold(TestData.Transactions(50, cards: 5))).Serialize();

        Assert.Equal(SnapshotRejectedException.Format,
            Assert.Throws<SnapshotRejectedException>(() => CardStateSnapshot.Deserialize(bytes[..^10], Spec, Topic, 1)).Code);
        Assert.Equal(SnapshotRejectedException.Format,
            Assert.Throws<SnapshotRejectedException>(() => CardStateSnapshot.Deserialize(bytes, Spec, Topic, 2)).Code);
        Assert.Equal(SnapshotRejectedException.Format,
            Assert.Throws<SnapshotRejectedException>(() => CardStateSnapshot.Deserialize("not a snapshot"u8.ToArray(), Spec, Topic, 1)).Code);
    }

    [Fact]
    public async Task The_folder_store_returns_the_newest_snapshot_and_nothing_before_the_first()
    {
        using var store = SnapshotStore.Create(new StateOptions { Directory = _dir.File("state") }, new ModelStoreOptions(), "scorers");
        Assert.Null(await store.LoadAsync(Spec, Topic, 5, CancellationToken.None));

        await WriteAndLoadAsync(store);
    }

    [Fact]
    public async Task A_snapshot_slot_that_does_not_match_its_pointer_is_refused()
    {
        var root = _dir.File("state");
        using var store = SnapshotStore.Create(new StateOptions { Directory = root }, new ModelStoreOptions(), "scorers");
        await store.WriteAsync(CardStateSnapshot.Of(Spec, Topic, 2, 10, Fold(TestData.Transactions(10, cards: 3))), CancellationToken.None);
        var slot = Directory.GetFiles(root, "*.snap", SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(slot);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(slot, bytes);

        var ex = await Assert.ThrowsAsync<SnapshotRejectedException>(() => store.LoadAsync(Spec, Topic, 2, CancellationToken.None));
        Assert.Contains("SHA-256", ex.Message, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task The_s3_store_returns_the_newest_snapshot()
    {
        var s3 = new ModelStoreOptions
        {
            ServiceUrl = TestEnvironment.S3Url,
            Bucket = TestEnvironment.S3Bucket,
            AccessKey = TestEnvironment.S3AccessKey,
            SecretKey = TestEnvironment.S3SecretKey,
        };
        using var store = SnapshotStore.Create(new StateOptions { Kind = "s3", Prefix = $"test-state-{Guid.NewGuid():N}" }, s3, "scorers");
        Assert.Null(await store.LoadAsync(Spec, Topic, 5, CancellationToken.None));

        await WriteAndLoadAsync(store);
    }

    [Fact]
    public async Task The_background_writer_stores_snapshots_of_several_partitions_and_reports_each()
    {
        using var store = SnapshotStore.Create(new StateOptions { Directory = _dir.File("state") }, new ModelStoreOptions(), "scorers");
        var transactions = TestData.Transactions(600, cards: 30, seed: 4);
        var states = Enumerable.Range(0, 3).ToDictionary(p => p, p => Fold(transactions.Take(200 * (p + 1))));
        var written = new List<(int Partition, long NextOffset)>();
        using (var writer = new SnapshotWriter(store, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            foreach (var (partition, cards) in states)
            {
                Assert.False(writer.IsPending(partition));
                writer.Enqueue(SerializedSnapshot.Of(CardStateSnapshot.Of(Spec, Topic, partition, 1000 + partition, cards)));
            }
            writer.WaitAll();
            Assert.All(states.Keys, p => Assert.False(writer.IsPending(p)));
            while (writer.TryTakeWritten(out var w))
            {
                written.Add(w);
            }
        }

        Assert.Equal(states.Keys.Select(p => (p, 1000L + p)).Order(), written.Order());
        foreach (var (partition, cards) in states)
        {
            var loaded = await store.LoadAsync(Spec, Topic, partition, CancellationToken.None);
            Assert.Equal(Bytes(cards), Bytes(loaded!.Cards));
        }
    }

    [Fact]
    public void A_background_write_that_fails_is_counted_and_the_writer_goes_on()
    {
        var blocked = _dir.File("not-a-folder");
        File.WriteAllText(blocked, "a file where the snapshot folder should be");
        using var failing = SnapshotStore.Create(new StateOptions { Directory = blocked }, new ModelStoreOptions(), "scorers");
        var failedBefore = ScorerMetrics.StateSnapshots.WithLabels("failed").Value;
        using var writer = new SnapshotWriter(failing, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var cards = Fold(TestData.Transactions(50, cards: 5));
        writer.Enqueue(SerializedSnapshot.Of(CardStateSnapshot.Of(Spec, Topic, 0, 50, cards)));
        writer.Wait(0);
        writer.Enqueue(SerializedSnapshot.Of(CardStateSnapshot.Of(Spec, Topic, 1, 50, cards)));
        writer.Wait(1);

        Assert.Equal(failedBefore + 2, ScorerMetrics.StateSnapshots.WithLabels("failed").Value);
        Assert.False(writer.TryTakeWritten(out _));
    }

    /// <summary>Three snapshots in a row (both slots used, one overwritten): the last one is what loads.</summary>
    private static async Task WriteAndLoadAsync(SnapshotStore store)
    {
        var transactions = TestData.Transactions(900, cards: 40, seed: 9);
        CardStateStore? last = null;
        foreach (var count in new[] { 300, 600, 900 })
        {
            last = Fold(transactions.Take(count));
            await store.WriteAsync(CardStateSnapshot.Of(Spec, Topic, 5, count, last), CancellationToken.None);
        }

        var loaded = await store.LoadAsync(Spec, Topic, 5, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(900, loaded.NextOffset);
        Assert.Equal(Bytes(last!), Bytes(loaded.Cards));
        Assert.Null(await store.LoadAsync(Spec, Topic, 4, CancellationToken.None));
    }

    internal static CardStateStore Fold(IEnumerable<Transaction> transactions)
    {
        var cards = new CardStateStore(Spec.CardIdleTtlMs);
        var scratch = new float[BatchScorer.Spec.Count];
        foreach (var t in transactions)
        {
            BatchScorer.Fold(cards, TransactionFields.Of(t), scratch, Spec.CardIdleTtlMs);
        }
        return cards;
    }

    /// <summary>Every card's key and raw state bytes, in key order.</summary>
    internal static List<(ulong Key, string State)> Bytes(CardStateStore cards)
    {
        var all = new List<(ulong Key, string State)>(cards.Count);
        foreach (var (key, state) in cards)
        {
            all.Add((key, Convert.ToHexString(MemoryMarshal.AsBytes(new ReadOnlySpan<CardState>(in state)))));
        }
        all.Sort((a, b) => a.Key.CompareTo(b.Key));
        return all;
    }

    private static List<float> Features(CardStateStore cards, IEnumerable<Transaction> transactions)
    {
        var all = new List<float>();
        var row = new float[BatchScorer.Spec.Count];
        foreach (var t in transactions)
        {
            BatchScorer.Fold(cards, TransactionFields.Of(t), row, Spec.CardIdleTtlMs);
            all.AddRange(row);
        }
        return all;
    }

    public void Dispose() => _dir.Dispose();
}
