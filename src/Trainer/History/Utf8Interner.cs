using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Maps the UTF-8 bytes of a text to a value computed once per distinct text: history repeats a few thousand
/// cards, merchants, countries and channels millions of times, and the feature pipeline needs only a hash or a code
/// of each (<see cref="Shared.Features.FeatureInput"/>). The first time a text is seen it is decoded (strictly) and
/// reduced by the given function, the same the scorer applies to its strings, so both paths get the same values;
/// every repeat costs a hash of the bytes and one comparison. Open addressing over one byte arena. Not thread-safe.
/// </summary>
/// <typeparam name="T">what a text reduces to.</typeparam>
internal sealed class Utf8Interner<T>(Func<string, T> reduce)
{
    private int[] _slots = new int[1024]; // entry index + 1; 0 = empty
    private Entry[] _entries = new Entry[512];
    private byte[] _arena = new byte[16 * 1024];
    private int _arenaUsed;

    /// <summary>Distinct texts seen.</summary>
    public int Count { get; private set; }

    /// <summary>The value of the text whose UTF-8 bytes are <paramref name="utf8"/>.</summary>
    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public T Get(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var mask = _slots.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return Add(utf8, hash, slot);
            }
            ref var e = ref _entries[entry - 1];
            if (e.Hash == hash && utf8.SequenceEqual(_arena.AsSpan(e.Offset, e.Length)))
            {
                return e.Value;
            }
        }
    }

    private T Add(ReadOnlySpan<byte> utf8, ulong hash, int slot)
    {
        var value = reduce(Utf8Text.Decode(utf8));
        if (_arenaUsed + utf8.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + utf8.Length));
        }
        utf8.CopyTo(_arena.AsSpan(_arenaUsed));
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Count * 2);
        }
        _entries[Count] = new Entry { Hash = hash, Offset = _arenaUsed, Length = utf8.Length, Value = value };
        _arenaUsed += utf8.Length;
        Count++;
        _slots[slot] = Count;
        if (Count * 2 > _slots.Length)
        {
            Rehash();
        }
        return value;
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

    /// <summary>A fast 64-bit mix of the bytes, eight at a time (texts here are short ids and codes).</summary>
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
