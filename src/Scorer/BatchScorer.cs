using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The scoring pipeline that <c>run</c> and <c>score-file</c> share: per-card features into one reused row-major
/// buffer, then one ONNX call for the whole batch, decisions and reasons. Features are computed for all the
/// transactions added so far when first needed (<see cref="FeaturesAt"/>, <see cref="Score"/>, <see cref="Clear"/>),
/// in the order added, with the card lookups pipelined (<see cref="CardBatchPipeline"/>): the same values as one
/// at a time, without waiting on memory for every card of a large store.
/// Features depend only on the feature spec, never on the model, so a model swap between batches changes scores
/// and nothing else. Not thread-safe: one instance per scoring loop. Card state lives either in the instance's own
/// store (<c>score-file</c>) or in the store of each transaction's partition (<c>run</c>, see <see cref="PartitionStates"/>).
/// </summary>
internal sealed class BatchScorer
{
    public const int ReasonCount = 3;

    private readonly CardStateStore _cards;
    private readonly float[] _features;
    private readonly float[] _scores;
    private readonly Transaction[] _transactions;
    private readonly ulong[] _keys;
    private readonly CardStateStore[] _stores;
    private readonly DateTimeOffset[] _since;
    private readonly Verdict[] _verdicts;
    private int _computed;

    /// <param name="spec">the spec to compute; <see cref="Spec"/> (default card idle time) when null.</param>
    public BatchScorer(int capacity, FeatureSpec? spec = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        ComputedSpec = spec ?? Spec;
        _cards = new CardStateStore(ComputedSpec.CardIdleTtlMs);
        FeatureCount = ComputedSpec.Count;
        _features = new float[capacity * FeatureCount];
        _scores = new float[capacity];
        _transactions = new Transaction[capacity];
        _keys = new ulong[capacity];
        _stores = new CardStateStore[capacity];
        _since = new DateTimeOffset[capacity];
        _verdicts = new Verdict[capacity];
    }

    /// <summary>The pipeline's spec with the default card idle time.</summary>
    public static FeatureSpec Spec => CardFeatureExtractor.Spec;

    /// <summary>The spec this instance computes (its card idle time may differ from <see cref="Spec"/>'s); models must match it.</summary>
    public FeatureSpec ComputedSpec { get; }

    /// <summary>An empty card store that forgets idle cards after this instance's spec's idle time.</summary>
    public CardStateStore NewCards() => new(ComputedSpec.CardIdleTtlMs);

    /// <summary>
    /// Folds one transaction into its card's state and writes its features to <paramref name="features"/>: what
    /// scoring does per transaction, so a state rebuilt by replay is the scored state by construction.
    /// </summary>
    public static void Fold(CardStateStore cards, Transaction transaction, Span<float> features) =>
        CardFeatureExtractor.ExtractAndUpdate(ref cards.GetOrAdd(CardStateStore.KeyOf(transaction.CardId)), transaction, features, cards.IdleTtlMs);

    /// <summary>Event time (Unix ms) of the newest transaction added so far; <see cref="long.MinValue"/> before the first.</summary>
    public long NewestEventMs { get; private set; } = long.MinValue;

    /// <summary>Bytes held by this instance's own per-card state (not the partitions' stores).</summary>
    public long CardMemoryBytes
    {
        get
        {
            ComputePending();
            return _cards.MemoryBytes;
        }
    }

    public int Capacity { get; }
    public int FeatureCount { get; }
    public int Count { get; private set; }
    public bool IsFull => Count == Capacity;
    public int CardCount
    {
        get
        {
            ComputePending();
            return _cards.Count;
        }
    }

    /// <summary>Queues the transaction; its features come from its card's state (which it then updates) in order.</summary>
    /// <param name="since">The instant latency is measured from: Kafka publish time, or when the batch was read.</param>
    public void Add(Transaction transaction, DateTimeOffset since) => Add(transaction, since, _cards);

    /// <summary>Queues the transaction; its features come from its card's state in <paramref name="cards"/>, the store of its partition.</summary>
    /// <param name="since">The instant latency is measured from: Kafka publish time, or when the batch was read.</param>
    /// <param name="cards">The store of the transaction's partition; it must use this instance's card idle time.</param>
    public void Add(Transaction transaction, DateTimeOffset since, CardStateStore cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch is full ({Capacity})");
        }
        _keys[Count] = CardStateStore.KeyOf(transaction.CardId);
        _stores[Count] = cards;
        NewestEventMs = Math.Max(NewestEventMs, transaction.EventTime.ToUnixTimeMilliseconds());
        _transactions[Count] = transaction;
        _since[Count] = since;
        Count++;
    }

    public Transaction TransactionAt(int index) => _transactions[index];

    public ReadOnlySpan<float> FeaturesAt(int index)
    {
        ComputePending();
        return _features.AsSpan(index * FeatureCount, FeatureCount);
    }

    public float ScoreAt(int index) => _scores[index];

    /// <summary>Scores every transaction added since the last <see cref="Clear"/> with one inference call.</summary>
    /// <returns>One verdict per transaction, in the order they were added; valid until the next call.</returns>
    public ReadOnlySpan<Verdict> Score(LoadedModel model, DateTimeOffset now)
    {
        if (Count == 0)
        {
            return [];
        }
        ComputePending();
        model.Onnx.Score(_features, Count, _scores);
        var thresholds = model.Manifest.Thresholds;
        var version = model.Version;
        for (var i = 0; i < Count; i++)
        {
            var t = _transactions[i];
            var score = _scores[i];
            _verdicts[i] = new Verdict
            {
                TransactionId = t.TransactionId,
                CardId = t.CardId,
                EventTime = t.EventTime,
                Score = score,
                Decision = DecisionPolicy.Decide(score, thresholds),
                ModelVersion = version,
                Reasons = ReasonBuilder.Top(model, FeaturesAt(i), ReasonCount),
                ScoredAt = now,
                LatencyMs = Math.Max(0d, (now - _since[i]).TotalMilliseconds),
            };
        }
        return _verdicts.AsSpan(0, Count);
    }

    /// <summary>
    /// Drops the cards idle for longer than the spec's card idle time, measured back from the newest event time
    /// seen (capped at <paramref name="wallClockMs"/>, so one event stamped far in the future cannot expire every
    /// card) less <paramref name="latenessMs"/>. Features do not change as long as no transaction arrives more than
    /// <paramref name="latenessMs"/> older than the newest one seen: such a card would start afresh on its next
    /// transaction anyway (<see cref="CardFeatureExtractor"/>). O(cards): call it between batches, not per event.
    /// </summary>
    /// <returns>The number of cards dropped.</returns>
    public int ExpireIdleCards(long wallClockMs, long latenessMs) => ExpireIdleCards(wallClockMs, latenessMs, _cards);

    /// <summary>As <see cref="ExpireIdleCards(long, long)"/>, in <paramref name="cards"/> (a partition's store).</summary>
    public int ExpireIdleCards(long wallClockMs, long latenessMs, CardStateStore cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentOutOfRangeException.ThrowIfNegative(latenessMs);
        ComputePending();
        if (NewestEventMs == long.MinValue)
        {
            return 0;
        }
        return cards.ExpireIdle(Math.Min(NewestEventMs, wallClockMs) - latenessMs);
    }

    /// <summary>Starts a new batch; per-card state is kept.</summary>
    public void Clear()
    {
        ComputePending();
        _computed = 0;
        Array.Clear(_transactions, 0, Count);
        Array.Clear(_verdicts, 0, Count);
        Array.Clear(_stores, 0, Count);
        Count = 0;
    }

    /// <summary>Features for every transaction added but not yet computed, in the order added.</summary>
    private void ComputePending()
    {
        if (_computed == Count)
        {
            return;
        }
        // Runs of transactions that share a store go through the pipeline together; a card lives in one store,
        // so each card still sees its transactions in the order they were added.
        while (_computed < Count)
        {
            var store = _stores[_computed];
            var end = _computed + 1;
            while (end < Count && ReferenceEquals(_stores[end], store))
            {
                end++;
            }
            CardBatchPipeline.ExtractAndUpdate(
                store,
                _keys.AsSpan(_computed, end - _computed),
                _transactions.AsSpan(_computed, end - _computed),
                _features.AsSpan(_computed * FeatureCount),
                FeatureCount,
                ComputedSpec.CardIdleTtlMs);
            _computed = end;
        }
    }
}
