namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// <see cref="LabelFacts"/> by transaction id, keyed by the id's UTF-8 bytes (<see cref="Utf8Map{T}"/>). A
/// <c>Dictionary&lt;string, ...&gt;</c> of millions of labels cost a string per label and several cache misses per
/// lookup (bucket, entry, key string); here a lookup touches one slot, one entry and the arena. Not thread-safe.
/// </summary>
internal sealed class LabelIndex
{
    private readonly Utf8Map<LabelFacts> _labels = new();

    public int Count => _labels.Count;

    /// <summary>Folds one label into the transaction's facts.</summary>
    public void Add(ReadOnlySpan<byte> id, bool isFraud, long labelledTicks)
    {
        ref var facts = ref _labels.GetOrAdd(id, out var added);
        facts = (added ? LabelFacts.None : facts).With(isFraud, labelledTicks);
    }

    /// <summary>Sets the facts as Postgres keeps them (latest label, earliest fraud report).</summary>
    public void Set(ReadOnlySpan<byte> id, LabelFacts facts) => _labels.GetOrAdd(id, out _) = facts;

    public bool TryGet(ReadOnlySpan<byte> id, out LabelFacts facts) => _labels.TryGet(id, out facts);
}
