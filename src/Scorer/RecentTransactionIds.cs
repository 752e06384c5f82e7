using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The transaction ids of a partition's last <see cref="Capacity"/> admitted transactions, each with the offset it was
/// read at: what decides a duplicate. A transaction whose id is here at another offset is a duplicate; the same offset
/// read again (a replay after a crash or a rebalance) is the same message, not a duplicate. Transactions are keyed by
/// card id, so every copy of one card's transaction lands in the same partition and meets its first copy here.
/// </summary>
/// <remarks>
/// Ids are kept as 64-bit FNV-1a hashes (<see cref="StableHash.Of64(string?)"/>): two distinct ids collide with
/// probability about 2⁻⁶⁴ per pair, which would dead-letter a transaction as a duplicate of the other. Bounded in
/// count, so memory is: about 36 bytes per id (a dictionary entry and a slot of the eviction ring). Allocation-free once
/// full: the dictionary reuses removed entries. Part of the partition's snapshot (<see cref="CardStateSnapshot"/>).
/// </remarks>
internal sealed class RecentTransactionIds
{
    private readonly Dictionary<ulong, long> _offsets;
    private readonly ulong[] _order;
    private int _oldest;

    public RecentTransactionIds(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _offsets = new Dictionary<ulong, long>(capacity);
        _order = new ulong[capacity];
    }

    /// <summary>How many ids are kept; 0 keeps none (every transaction is new).</summary>
    public int Capacity { get; }

    public int Count => _offsets.Count;

    public static ulong KeyOf(string transactionId) => StableHash.Of64(transactionId);

    /// <summary>
    /// Admits a transaction read at <paramref name="offset"/>, or finds it a duplicate of one read at
    /// <paramref name="firstOffset"/>. An admitted id is remembered, displacing the oldest when full.
    /// </summary>
    /// <param name="key">the id's key (<see cref="KeyOf"/>, or <see cref="Shared.Contracts.TransactionText.Of64"/> of the fields' id).</param>
    public bool TryAdmit(ulong key, long offset, out long firstOffset)
    {
        if (_offsets.TryGetValue(key, out firstOffset))
        {
            return firstOffset == offset;
        }
        firstOffset = offset;
        Add(key, offset);
        return true;
    }

    /// <summary>Remembers <paramref name="key"/> at <paramref name="offset"/> (restoring a snapshot, in the order written).</summary>
    public void Add(ulong key, long offset)
    {
        if (Capacity == 0 || _offsets.ContainsKey(key))
        {
            return;
        }
        if (_offsets.Count == Capacity)
        {
            _offsets.Remove(_order[_oldest]);
        }
        _order[_oldest] = key;
        _oldest = (_oldest + 1) % Capacity;
        _offsets[key] = offset;
    }

    /// <summary>The remembered ids, oldest first (the order <see cref="Add"/> must see them again).</summary>
    public IEnumerable<(ulong Key, long Offset)> OldestFirst()
    {
        var start = _offsets.Count == Capacity ? _oldest : 0;
        for (var i = 0; i < _offsets.Count; i++)
        {
            var key = _order[(start + i) % Math.Max(1, Capacity)];
            yield return (key, _offsets[key]);
        }
    }
}
