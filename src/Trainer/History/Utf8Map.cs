using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// A map keyed by UTF-8 bytes: one byte arena holding every key once and an open-addressing table of entry
/// indices, so a lookup costs a hash of the bytes, one probe and one comparison, and no string is ever made.
/// History uses it for what repeats millions of times (labels by transaction id, the reductions of cards,
/// merchants, countries, ...). Not thread-safe.
/// </summary>
/// <typeparam name="T">the value per key.</typeparam>
internal sealed class Utf8Map<T>
{
    private int[] _slots = new int[1024]; // entry index + 1; 0 = empty
    private Entry[] _entries = new Entry[512];
    private byte[] _arena = new byte[16 * 1024];
    private int _arenaUsed;

    /// <summary>Distinct keys held.</summary>
    public int Count { get; private set; }

    /// <summary>The value of <paramref name="key"/>, added as <c>default</c> when new (<paramref name="added"/>).</summary>
    public ref T GetOrAdd(ReadOnlySpan<byte> key, out bool added)
    {
        var hash = Hash(key);
        var entry = Find(key, hash, out var slot);
        added = entry < 0;
        return ref added ? ref Add(key, hash, slot) : ref _entries[entry].Value;
    }

    /// <summary>The value of <paramref name="key"/>, when held.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out T value)
    {
        var entry = Find(key, Hash(key), out _);
        value = entry < 0 ? default! : _entries[entry].Value;
        return entry >= 0;
    }

    /// <summary>The entry holding <paramref name="key"/>, or -1 with <paramref name="emptySlot"/> where it would go (linear probing).</summary>
    private int Find(ReadOnlySpan<byte> key, ulong hash, out int emptySlot)
    {
        var mask = _slots.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot] - 1;
            if (entry < 0)
            {
                emptySlot = slot;
                return -1;
            }
            ref var e = ref _entries[entry];
            if (e.Hash == hash && key.SequenceEqual(_arena.AsSpan(e.Offset, e.Length)))
            {
                emptySlot = -1;
                return entry;
            }
        }
    }

    private ref T Add(ReadOnlySpan<byte> key, ulong hash, int slot)
    {
        if (_arenaUsed + key.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + key.Length));
        }
        key.CopyTo(_arena.AsSpan(_arenaUsed));
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Count * 2);
        }
        var index = Count;
        _entries[index] = new Entry { Hash = hash, Offset = _arenaUsed, Length = key.Length };
        _arenaUsed += key.Length;
        Count++;
        _slots[slot] = Count;
        if (Count * 2 > _slots.Length)
        {
            Rehash();
        }
        return ref _entries[index].Value;
    }

    private void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            var slot = (int)_entries[i].Hash & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            _slots[slot] = i + 1;
        }
    }

    /// <summary>A fast 64-bit mix of the bytes, eight at a time (keys here are short ids and codes).</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var length = bytes.Length;
        var hash = 0x9E3779B97F4A7C15ul ^ (ulong)length;
        var i = 0;
        for (; i + 8 <= length; i += 8)
        {
            hash = Mix(hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }
        if (i < length)
        {
            ulong tail = 0;
            for (var shift = 0; i < length; i++, shift += 8)
            {
                tail |= (ulong)Unsafe.Add(ref start, i) << shift;
            }
            hash = Mix(hash ^ tail);
        }
        return hash ^ (hash >> 29);
    }

    private static ulong Mix(ulong x)
    {
        x *= 0xBF58476D1CE4E5B9ul;
        return (x ^ (x >> 31)) * 0x94D049BB133111EBul;
    }

    private struct Entry
    {
        public ulong Hash;
        public int Offset;
        public int Length;
        public T Value;
    }
}
