namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Labels by transaction id, keyed by the id's UTF-8 bytes: one byte arena and an open-addressing table of
/// value-type slots. A <c>Dictionary&lt;string, bool&gt;</c> of millions of labels cost a string per label and
/// several cache misses per lookup (bucket, entry, key string); here a lookup touches one slot and the arena.
/// The last label added for an id wins. Not thread-safe.
/// </summary>
internal sealed class LabelIndex
{
    private byte[] _arena = new byte[1 << 16];
    private int _arenaUsed;
    private Slot[] _slots = new Slot[1 << 10];

    public int Count { get; private set; }

    public void Set(ReadOnlySpan<byte> id, bool isFraud)
    {
        if ((Count + 1) * 2 > _slots.Length)
        {
            Grow();
        }
        var hash = Hash(id);
        ref var slot = ref Find(_slots, hash, id);
        if (slot.Hash != 0)
        {
            slot.IsFraud = isFraud;
            return;
        }
        if (_arenaUsed + id.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + id.Length));
        }
        id.CopyTo(_arena.AsSpan(_arenaUsed));
        slot = new Slot { Hash = hash, Offset = _arenaUsed, Length = id.Length, IsFraud = isFraud };
        _arenaUsed += id.Length;
        Count++;
    }

    public bool TryGet(ReadOnlySpan<byte> id, out bool isFraud)
    {
        ref var slot = ref Find(_slots, Hash(id), id);
        isFraud = slot.IsFraud;
        return slot.Hash != 0;
    }

    // Hash 0 marks an empty slot, so real hashes are never 0.
    private static int Hash(ReadOnlySpan<byte> id)
    {
        var hash = new HashCode();
        hash.AddBytes(id);
        var value = hash.ToHashCode();
        return value == 0 ? 1 : value;
    }

    /// <summary>The slot holding <paramref name="id"/>, or the empty slot where it belongs (linear probing).</summary>
    private ref Slot Find(Slot[] slots, int hash, ReadOnlySpan<byte> id)
    {
        var mask = slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Hash == 0 || (slot.Hash == hash && _arena.AsSpan(slot.Offset, slot.Length).SequenceEqual(id)))
            {
                return ref slot;
            }
            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var larger = new Slot[_slots.Length * 2];
        var mask = larger.Length - 1;
        foreach (var slot in _slots)
        {
            if (slot.Hash == 0)
            {
                continue;
            }
            var i = slot.Hash & mask;
            while (larger[i].Hash != 0)
            {
                i = (i + 1) & mask;
            }
            larger[i] = slot;
        }
        _slots = larger;
    }

    private struct Slot
    {
        public int Hash;
        public int Offset;
        public int Length;
        public bool IsFraud;
    }
}
