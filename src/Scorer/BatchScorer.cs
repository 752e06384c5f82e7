using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The scoring pipeline that <c>run</c> and <c>score-file</c> share: per-card features into one reused row-major
/// buffer as transactions arrive, then one ONNX call for the whole batch, decisions and reasons.
/// Features depend only on the feature spec, never on the model, so a model swap between batches changes scores
/// and nothing else. Not thread-safe: one instance per scoring loop (it owns the per-card state).
/// </summary>
internal sealed class BatchScorer
{
    public const int ReasonCount = 3;

    private readonly CardStateStore _cards = NewCards();
    private readonly float[] _features;
    private readonly float[] _scores;
    private readonly Transaction[] _transactions;
    private readonly DateTimeOffset[] _since;
    private readonly Verdict[] _verdicts;

    public BatchScorer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        FeatureCount = Spec.Count;
        _features = new float[capacity * FeatureCount];
        _scores = new float[capacity];
        _transactions = new Transaction[capacity];
        _since = new DateTimeOffset[capacity];
        _verdicts = new Verdict[capacity];
    }

    public static FeatureSpec Spec => CardFeatureExtractor.Spec;

    /// <summary>An empty card store that forgets idle cards after the spec's time.</summary>
    public static CardStateStore NewCards() => new(Spec.CardIdleTtlMs);

    public int Capacity { get; }
    public int FeatureCount { get; }
    public int Count { get; private set; }
    public bool IsFull => Count == Capacity;
    public int CardCount => _cards.Count;

    /// <summary>Computes the transaction's features from its card's state in the scorer's own store (and folds it in).</summary>
    /// <param name="since">The instant latency is measured from: Kafka publish time, or when the batch was read.</param>
    public void Add(Transaction transaction, DateTimeOffset since) => Add(transaction, since, _cards);

    /// <summary>Computes the transaction's features from its card's state in <paramref name="cards"/> (and folds it in).</summary>
    /// <param name="since">The instant latency is measured from: Kafka publish time, or when the batch was read.</param>
    /// <param name="cards">The store of the transaction's partition.</param>
    public void Add(Transaction transaction, DateTimeOffset since, CardStateStore cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch is full ({Capacity})");
        }
        Fold(cards, transaction, _features.AsSpan(Count * FeatureCount, FeatureCount));
        _transactions[Count] = transaction;
        _since[Count] = since;
        Count++;
    }

    /// <summary>
    /// Folds one transaction into its card's state and writes its features to <paramref name="features"/>: the one
    /// step both scoring and state replay take, so a replayed state is the scored state by construction.
    /// </summary>
    public static void Fold(CardStateStore cards, Transaction transaction, Span<float> features) =>
        CardFeatureExtractor.ExtractAndUpdate(ref cards.GetOrAdd(CardStateStore.KeyOf(transaction.CardId)), transaction, features);

    public Transaction TransactionAt(int index) => _transactions[index];

    public ReadOnlySpan<float> FeaturesAt(int index) => _features.AsSpan(index * FeatureCount, FeatureCount);

    public float ScoreAt(int index) => _scores[index];

    /// <summary>Scores every transaction added since the last <see cref="Clear"/> with one inference call.</summary>
    /// <returns>One verdict per transaction, in the order they were added; valid until the next call.</returns>
    public ReadOnlySpan<Verdict> Score(LoadedModel model, DateTimeOffset now)
    {
        if (Count == 0)
        {
            return [];
        }
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

    /// <summary>Starts a new batch; per-card state is kept.</summary>
    public void Clear()
    {
        Array.Clear(_transactions, 0, Count);
        Array.Clear(_verdicts, 0, Count);
        Count = 0;
    }
}
