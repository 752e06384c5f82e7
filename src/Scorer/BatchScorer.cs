using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The scoring pipeline that <c>run</c> and <c>score-file</c> share: per-card features into one reused row-major
/// buffer, then one ONNX call for the whole batch, decisions and reasons. Features are computed for all the
/// transactions added so far when first needed (<see cref="FeaturesAt"/>, <see cref="Score"/>, <see cref="Clear"/>),
/// in the order added, with the card lookups pipelined (<see cref="CardBatchPipeline"/>): the same values as one
/// at a time, without waiting on memory for every card of a large store.
/// The card features depend only on the feature spec, never on the model. The entity features (the vector's tail, for
/// a spec that has them) are read from <see cref="Entities"/> when the batch is scored (<see cref="Score"/>): the
/// aggregator's totals in the streaming worker, totals built from the input in <c>score-file</c>. The encoded features
/// (the model's vocabulary codes and declared attributes) come last, written by <see cref="Score"/> with the scoring
/// model's own encoding, so a swapped-in model with other vocabularies is served its own codes from its first batch;
/// values outside its vocabularies are listed in <see cref="Unseen"/>.
/// Not thread-safe: one instance per scoring loop (it owns the per-card state).
/// </summary>
internal sealed class BatchScorer
{
    public const int ReasonCount = 3;

    private readonly CardStateStore _cards;
    private float[] _features;
    private readonly float[] _scores;
    private readonly TransactionFields[] _transactions;
    private readonly ulong[] _keys;
    private readonly CardStateStore[] _stores;
    private readonly DateTimeOffset[] _since;
    private readonly Verdict[] _verdicts;
    private readonly DateOnly?[] _daysThrough;
    private readonly List<UnseenValue> _unseen = [];
    private ulong[] _slots = [];
    private bool[] _unseenSlots = [];
    private readonly ReasonBuilder _reasons = new(ReasonCount);
    private readonly Decision[] _decisions;
    private readonly int[] _reasonRows;
    private readonly IReadOnlyList<Reason>[] _explained;
    private readonly IReadOnlyList<Reason>?[] _reasonsAt;
    private float[]? _shadowScores;
    private Verdict[]? _shadowVerdicts;
    private string? _scoredSpecHash;
    private int _computed;
    private int _asked;

    /// <param name="spec">the spec to compute; <see cref="Spec"/> (default settings) when null.</param>
    /// <param name="entities">the merchant and device totals the entity features read; an empty table when null.</param>
    public BatchScorer(int capacity, FeatureSpec? spec = null, EntityTable? entities = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        ComputedSpec = spec ?? Spec;
        _cards = new CardStateStore(ComputedSpec.CardIdleTtlMs);
        FeatureCount = ComputedSpec.ComputedCount;
        _features = new float[capacity * FeatureCount];
        _scores = new float[capacity];
        _transactions = new TransactionFields[capacity];
        _keys = new ulong[capacity];
        _stores = new CardStateStore[capacity];
        _since = new DateTimeOffset[capacity];
        _verdicts = new Verdict[capacity];
        _decisions = new Decision[capacity];
        _reasonRows = new int[capacity];
        _explained = new IReadOnlyList<Reason>[capacity];
        _reasonsAt = new IReadOnlyList<Reason>?[capacity];
        _daysThrough = new DateOnly?[capacity];
        Entities = entities ?? ComputedSpec.NewEntityTable();
    }

    /// <summary>The pipeline's spec with the default settings: the card features, then the entity features.</summary>
    public static FeatureSpec Spec => FeatureSpec.CardEntityV1;

    /// <summary>The totals the entity features read.</summary>
    public EntityTable Entities { get; }

    /// <summary>
    /// The newest day of <see cref="Entities"/> the next <see cref="Score"/> may read (the newest complete one), or null
    /// when every day a transaction reads is complete. A transaction that would read a later day reads as if on the
    /// latest day allowed, and its verdict says so (<see cref="Verdict.EntityDaysThrough"/>); <see cref="int.MinValue"/>
    /// means no day is complete.
    /// </summary>
    public int? EntityDaysCap { get; set; }

    /// <summary>Transactions of the last <see cref="Score"/> whose entity features read older days than their own (<see cref="EntityDaysCap"/>).</summary>
    public int StaleEntityFeatures { get; private set; }

    /// <summary>
    /// Which verdicts carry reasons: review and decline only (the default; an approval's reasons are empty), every verdict,
    /// or none. TreeSHAP costs far more than the inference itself (docs/BENCHMARKS.md), and only flagged transactions
    /// reach an analyst.
    /// </summary>
    public ReasonScope ReasonsFor { get; set; } = ReasonScope.Flagged;

    /// <summary>
    /// When set, <see cref="Score"/> selects the rows <see cref="ReasonsFor"/> asks for (<see cref="RowsAskingReasons"/>)
    /// but leaves their reasons empty, for the caller to explain elsewhere (<see cref="PendingVerdicts"/>): the streaming
    /// worker explains a batch on another thread while it reads the next one.
    /// </summary>
    public bool DefersReasons { get; init; }

    /// <summary>The rows of the last <see cref="Score"/> whose verdicts ask for reasons, in order.</summary>
    public ReadOnlySpan<int> RowsAskingReasons => _reasonRows.AsSpan(0, _asked);

    /// <summary>The spec this instance computes (its card idle time may differ from <see cref="Spec"/>'s); models must match it.</summary>
    public FeatureSpec ComputedSpec { get; }

    /// <summary>Event time (Unix ms) of the newest transaction added so far; <see cref="long.MinValue"/> before the first.</summary>
    public long NewestEventMs { get; private set; } = long.MinValue;

    /// <summary>Event time (Unix ms) of the newest transaction of the current batch; <see cref="long.MinValue"/> when empty.</summary>
    public long BatchNewestEventMs { get; private set; } = long.MinValue;

    /// <summary>Event time (Unix ms) of the oldest transaction of the current batch; <see cref="long.MaxValue"/> when empty.</summary>
    public long BatchOldestEventMs { get; private set; } = long.MaxValue;

    /// <summary>Bytes held by the per-card state.</summary>
    public long CardMemoryBytes
    {
        get
        {
            ComputePending();
            return _cards.MemoryBytes;
        }
    }

    public int Capacity { get; }

    /// <summary>
    /// Floats per vector: the computed features, plus the encoded ones of the model last scored with
    /// (<see cref="LoadedModel.Spec"/>); it changes only when a model with another encoding scores.
    /// </summary>
    public int FeatureCount { get; private set; }

    /// <summary>The values of the last <see cref="Score"/> outside the scoring model's vocabularies, by row and slot.</summary>
    public IReadOnlyList<UnseenValue> Unseen => _unseen;
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
    public void Add(Transaction transaction, DateTimeOffset since) => Add(TransactionFields.Of(transaction), since, _cards);

    /// <summary>As <see cref="Add(Transaction, DateTimeOffset)"/>, with the card's state in <paramref name="cards"/> (its partition's store).</summary>
    public void Add(Transaction transaction, DateTimeOffset since, CardStateStore cards) => Add(TransactionFields.Of(transaction), since, cards);

    /// <summary>
    /// As <see cref="Add(Transaction, DateTimeOffset, CardStateStore)"/>, from the fields admission read (the streaming
    /// worker): the row keeps them, so queuing a transaction makes no object.
    /// </summary>
    public void Add(in TransactionFields transaction, DateTimeOffset since, CardStateStore cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch is full ({Capacity})");
        }
        _keys[Count] = CardStateStore.KeyOf(transaction.CardId);
        _stores[Count] = cards;
        var eventMs = transaction.EventTime.ToUnixTimeMilliseconds();
        NewestEventMs = Math.Max(NewestEventMs, eventMs);
        BatchNewestEventMs = Math.Max(BatchNewestEventMs, eventMs);
        BatchOldestEventMs = Math.Min(BatchOldestEventMs, eventMs);
        _transactions[Count] = transaction;
        _since[Count] = since;
        Count++;
    }

    /// <summary>An empty card store that forgets idle cards after this instance's spec's time.</summary>
    public CardStateStore NewCards() => new(ComputedSpec.CardIdleTtlMs);

    /// <summary>
    /// Folds one transaction into its card's state and writes its features to <paramref name="features"/>: what
    /// scoring does per transaction, so a state replayed with it is the scored state by construction.
    /// </summary>
    public static void Fold(CardStateStore cards, in TransactionFields transaction, Span<float> features, long cardIdleTtlMs)
    {
        var key = CardStateStore.KeyOf(transaction.CardId);
        CardFeatureExtractor.ExtractAndUpdate(ref cards.GetOrAdd(key), FeatureInput.Of(transaction, key), features, cardIdleTtlMs);
    }

    /// <summary>Row <paramref name="index"/>'s transaction, as queued (<see cref="TransactionFields.ToRecord"/> where a record is needed).</summary>
    public ref readonly TransactionFields TransactionAt(int index) => ref _transactions[index];

    /// <summary>
    /// The transaction's feature vector. The entity and encoded features are written by <see cref="Score"/>: read vectors
    /// after scoring (as <c>score-file</c> and the feature log do).
    /// </summary>
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
        var count = Decide(model, now);
        for (var i = 0; i < count; i++)
        {
            _verdicts[i] = VerdictOf(i, _scores[i], _decisions[i], model.Version, ReasonsAt(i), ScoredAt);
        }
        return _verdicts.AsSpan(0, count);
    }

    /// <summary>
    /// What <see cref="Score"/> does short of making the verdicts: features, one inference call, decisions and reasons,
    /// read per row afterwards (<see cref="ScoreAt"/>, <see cref="DecisionAt"/>, <see cref="ReasonsAt"/>,
    /// <see cref="LatencyMsAt"/>, <see cref="EntityDaysThroughAt"/>), for a caller that writes verdicts without records.
    /// </summary>
    /// <returns>The number of transactions scored.</returns>
    public int Decide(LoadedModel model, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Count == 0)
        {
            return 0;
        }
        ComputePending();
        Widen(model.Spec);
        StaleEntityFeatures = 0;
        if (ComputedSpec.HasEntityFeatures)
        {
            AppendEntityFeatures();
        }
        AppendEncodedFeatures(model.Spec.Encoding);
        _scoredSpecHash = model.Spec.Hash;
        model.Onnx.Score(_features.AsMemory(0, Count * FeatureCount), Count, _scores);
        var thresholds = model.Manifest.Thresholds;
        for (var i = 0; i < Count; i++)
        {
            _decisions[i] = DecisionPolicy.Decide(_scores[i], thresholds);
        }
        ExplainWhereAsked(model);
        ScoredAt = now;
        return Count;
    }

    /// <summary>When the last <see cref="Decide"/> scored.</summary>
    public DateTimeOffset ScoredAt { get; private set; }

    public Decision DecisionAt(int index) => _decisions[index];

    /// <summary>The reasons of the last <see cref="Decide"/> for the row; empty where none were asked for, or when deferred.</summary>
    public IReadOnlyList<Reason> ReasonsAt(int index) => _reasonsAt[index] ?? [];

    /// <summary>From the instant the transaction was added with (its Kafka publish time) to <see cref="ScoredAt"/>.</summary>
    public double LatencyMsAt(int index) => Math.Max(0d, (ScoredAt - _since[index]).TotalMilliseconds);

    /// <summary>The newest entity day the row's features read (<see cref="Verdict.EntityDaysThrough"/>).</summary>
    public DateOnly? EntityDaysThroughAt(int index) => _daysThrough[index];

    /// <summary>Row <paramref name="index"/>'s verdict by a model that scored and decided it so at <paramref name="scoredAt"/>.</summary>
    private Verdict VerdictOf(int index, float score, Decision decision, string version, IReadOnlyList<Reason> reasons, DateTimeOffset scoredAt)
    {
        ref readonly var t = ref _transactions[index];
        return new Verdict
        {
            TransactionId = t.TransactionId.Text!,
            CardId = t.CardId.Text!,
            EventTime = t.EventTime,
            Score = score,
            Decision = decision,
            ModelVersion = version,
            Reasons = reasons,
            ScoredAt = scoredAt,
            LatencyMs = Math.Max(0d, (scoredAt - _since[index]).TotalMilliseconds),
            EntityDaysThrough = _daysThrough[index],
        };
    }

    /// <summary>
    /// The reasons of the rows <see cref="ReasonsFor"/> asks for (by their decision), all explained together
    /// (<see cref="ReasonBuilder"/>), unless <see cref="DefersReasons"/>; null for the others.
    /// </summary>
    private void ExplainWhereAsked(LoadedModel model)
    {
        Array.Clear(_reasonsAt, 0, Count);
        _asked = 0;
        for (var i = 0; i < Count && ReasonsFor != ReasonScope.None; i++)
        {
            if (ReasonsFor == ReasonScope.All || _decisions[i] != Decision.Approve)
            {
                _reasonRows[_asked++] = i;
            }
        }
        if (_asked == 0)
        {
            return;
        }
        if (model.Explainer.FeatureCount != FeatureCount)
        {
            throw new InvalidOperationException($"model {model.Version} explains {model.Explainer.FeatureCount} features, the batch holds {FeatureCount}");
        }
        if (DefersReasons)
        {
            return;
        }
        _reasons.Explain(model, _features.AsSpan(0, Count * FeatureCount), RowsAskingReasons, _explained.AsSpan(0, _asked));
        for (var k = 0; k < _asked; k++)
        {
            _reasonsAt[_reasonRows[k]] = _explained[k];
        }
    }

    /// <summary>
    /// Scores the batch just scored (<see cref="Decide"/>) again with <paramref name="challenger"/>, on the same feature
    /// vectors (one more inference call): the challenger's verdicts, by its own thresholds, without reasons.
    /// </summary>
    /// <returns>One verdict per transaction, valid until the next call.</returns>
    public ReadOnlySpan<Verdict> ScoreShadow(LoadedModel challenger, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        // The vectors hold the champion's encoded features; a challenger that encodes values otherwise is not scored.
        if (Count == 0 || challenger.Spec.Hash != _scoredSpecHash)
        {
            return [];
        }
        _shadowScores ??= new float[Capacity];
        _shadowVerdicts ??= new Verdict[Capacity];
        challenger.Onnx.Score(_features, Count, _shadowScores);
        var thresholds = challenger.Manifest.Thresholds;
        for (var i = 0; i < Count; i++)
        {
            _shadowVerdicts[i] = VerdictOf(i, _shadowScores[i], DecisionPolicy.Decide(_shadowScores[i], thresholds), challenger.Version, [], now);
        }
        return _shadowVerdicts.AsSpan(0, Count);
    }

    /// <summary>
    /// Drops the cards idle for longer than the spec's card idle time, measured back from the newest event time
    /// seen (capped at <paramref name="wallClockMs"/>, so one event stamped far in the future cannot expire every
    /// card) less <paramref name="latenessMs"/>. Features do not change as long as no transaction arrives more than
    /// <paramref name="latenessMs"/> older than the newest one seen: such a card would start afresh on its next
    /// transaction anyway (<see cref="CardFeatureExtractor"/>). O(cards): call it between batches, not per event.
    /// </summary>
    /// <returns>The number of cards dropped.</returns>
    public int ExpireIdleCards(long wallClockMs, long latenessMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latenessMs);
        ComputePending();
        if (NewestEventMs == long.MinValue)
        {
            return 0;
        }
        return _cards.ExpireIdle(Math.Min(NewestEventMs, wallClockMs) - latenessMs);
    }

    /// <summary>
    /// The cutoff <see cref="ExpireIdleCards"/> uses, for stores this instance does not own (per-partition stores);
    /// null before the first event. Computes pending features first, so no queued transaction meets an expired card.
    /// </summary>
    public long? IdleCutoffMs(long wallClockMs, long latenessMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latenessMs);
        ComputePending();
        return NewestEventMs == long.MinValue ? null : Math.Min(NewestEventMs, wallClockMs) - latenessMs;
    }

    /// <summary>Starts a new batch; per-card state is kept.</summary>
    public void Clear()
    {
        ComputePending();
        _computed = 0;
        Array.Clear(_transactions, 0, Count);
        Array.Clear(_stores, 0, Count);
        Array.Clear(_verdicts, 0, Count);
        if (_shadowVerdicts is not null)
        {
            Array.Clear(_shadowVerdicts, 0, Count);
        }
        Array.Clear(_daysThrough, 0, Count);
        _unseen.Clear();
        _asked = 0;
        Count = 0;
        BatchNewestEventMs = long.MinValue;
        BatchOldestEventMs = long.MaxValue;
    }

    /// <summary>The same stage the offline path runs after the card features (<see cref="EntityTable.Write(in FeatureInput, Span{float})"/>).</summary>
    private void AppendEntityFeatures()
    {
        var card = FeatureSpec.CardV1.Count;
        for (var i = 0; i < Count; i++)
        {
            ref readonly var t = ref _transactions[i];
            var through = Entities.LastDayReadBy(t.EventTime.ToUnixTimeMilliseconds());
            if (EntityDaysCap is { } cap && through > cap)
            {
                through = cap == int.MinValue ? int.MinValue / 2 : cap;
                StaleEntityFeatures++;
            }
            _daysThrough[i] = through > -700_000 ? DateOnly.FromDayNumber(EntityFeatures.UnixEpochDayNumber + through) : null;
            Entities.Write(FeatureInput.MerchantKeyOf(t.MerchantId), !t.DeviceId.IsNull, FeatureInput.DeviceKeyOf(t.DeviceId), through,
                _features.AsSpan((i * FeatureCount) + card, ComputedSpec.ComputedCount - card));
        }
    }

    /// <summary>
    /// Makes the vectors <paramref name="spec"/>'s width: a model with another encoding scores, so the computed features
    /// of the rows so far move to the new stride (between batches only in practice: a model swap).
    /// </summary>
    private void Widen(FeatureSpec spec)
    {
        if (spec.ComputedCount != ComputedSpec.ComputedCount)
        {
            throw new InvalidOperationException($"the model reads {spec.ComputedCount} computed features; this pipeline computes {ComputedSpec.ComputedCount}");
        }
        if (spec.Count == FeatureCount)
        {
            return;
        }
        var features = new float[Capacity * spec.Count];
        for (var i = 0; i < _computed; i++)
        {
            _features.AsSpan(i * FeatureCount, spec.ComputedCount).CopyTo(features.AsSpan(i * spec.Count));
        }
        _features = features;
        FeatureCount = spec.Count;
    }

    /// <summary>The scoring model's vocabulary codes and attributes, after the computed features; values outside its vocabularies are listed.</summary>
    private void AppendEncodedFeatures(FeatureEncoding encoding)
    {
        _unseen.Clear();
        if (encoding.IsNone)
        {
            return;
        }
        var layout = encoding.Layout;
        if (_slots.Length < layout.SlotCount)
        {
            _slots = new ulong[layout.SlotCount];
            _unseenSlots = new bool[layout.SlotCount];
        }
        var slots = _slots.AsSpan(0, layout.SlotCount);
        var unseen = _unseenSlots.AsSpan(0, layout.SlotCount);
        var at = ComputedSpec.ComputedCount;
        for (var i = 0; i < Count; i++)
        {
            layout.Read(_transactions[i], slots);
            encoding.Write(slots, _features.AsSpan((i * FeatureCount) + at, encoding.Count), unseen);
            for (var slot = 0; slot < unseen.Length; slot++)
            {
                if (unseen[slot])
                {
                    _unseen.Add(new UnseenValue(i, slot, slots[slot]));
                }
            }
        }
    }

    /// <summary>Features for every transaction added but not yet computed, in the order added.</summary>
    private void ComputePending()
    {
        if (_computed == Count)
        {
            return;
        }
        // One pipelined run per stretch of transactions sharing a store (Kafka hands out partitions in runs).
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
