namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Labels by transaction id, keyed by the id's UTF-8 bytes (<see cref="Utf8Map{T}"/>). A
/// <c>Dictionary&lt;string, bool&gt;</c> of millions of labels cost a string per label and several cache misses per
/// lookup (bucket, entry, key string); here a lookup touches one slot, one entry and the arena. The last label
/// added for an id wins. Not thread-safe.
/// </summary>
internal sealed class LabelIndex
{
    private readonly Utf8Map<bool> _labels = new();

    public int Count => _labels.Count;

    public void Set(ReadOnlySpan<byte> id, bool isFraud) => _labels.GetOrAdd(id, out _) = isFraud;

    public bool TryGet(ReadOnlySpan<byte> id, out bool isFraud) => _labels.TryGet(id, out isFraud);
}
