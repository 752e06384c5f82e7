using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Features;

/// <summary>Per-card state keyed by card id. Not thread-safe: one store per partition or per worker.</summary>
public sealed class CardStateStore
{
    private readonly Dictionary<string, CardState> _cards = new(StringComparer.Ordinal);

    public int Count => _cards.Count;

    /// <summary>A reference to the card's state, created empty on first use. Valid until the next insert.</summary>
    public ref CardState GetOrAdd(string cardId) => ref CollectionsMarshal.GetValueRefOrAddDefault(_cards, cardId, out _);

    public void Clear() => _cards.Clear();
}
