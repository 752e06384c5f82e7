using System.Collections;
using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// Per-card state keyed by a stable 64-bit hash of the card id (<see cref="KeyOf"/>). Not thread-safe: one store
/// per partition or per worker. Enumerates (key, state) pairs, which is what a snapshot of the store needs.
/// </summary>
public sealed class CardStateStore : IEnumerable<(ulong Key, CardState State)>
{
    private readonly Dictionary<ulong, CardState> _cards = [];

    public int Count => _cards.Count;

    /// <summary>The key of a card id: FNV-1a (64-bit) over UTF-16 code units, the same in every process.</summary>
    public static ulong KeyOf(string cardId)
    {
        ArgumentNullException.ThrowIfNull(cardId);
        var hash = 14695981039346656037UL;
        foreach (var c in cardId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>A reference to the card's state, created empty on first use. Valid until the next insert.</summary>
    public ref CardState GetOrAdd(ulong key) => ref CollectionsMarshal.GetValueRefOrAddDefault(_cards, key, out _);

    /// <summary>A reference to the card's state, created empty on first use. Valid until the next insert.</summary>
    public ref CardState GetOrAdd(string cardId) => ref GetOrAdd(KeyOf(cardId));

    /// <summary>Replaces (or adds) a card's state, e.g. when loading a snapshot.</summary>
    public void Set(ulong key, in CardState state) => _cards[key] = state;

    public void Clear() => _cards.Clear();

    public IEnumerator<(ulong Key, CardState State)> GetEnumerator()
    {
        foreach (var (key, state) in _cards)
        {
            yield return (key, state);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
