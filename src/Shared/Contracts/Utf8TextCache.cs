using System.Buffers.Binary;
using System.Text;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The strings of texts that recur from message to message (a card, a merchant, a country, a channel): a text read
/// again is answered with the string made the first time it was read, so a stream of transactions does not allocate
/// a new copy of each for every message. Two-way set-associative and bounded: each text has a pair of slots, by the hash
/// of its bytes, so two texts that meet there are both kept (a direct-mapped cache let two frequent codes that shared a
/// slot push each other out on every message), and a third replaces one of them; so memory stays at <c>slots</c>
/// strings however many distinct texts pass, and a miss costs what no cache would (one string). Thread-safe without locks: a slot holds an
/// immutable string and is replaced whole, so a race costs a miss, never a wrong text. ASCII texts only (the caller
/// checks): their bytes are their UTF-16 code units, so a slot is compared to the bytes without decoding them.
/// </summary>
/// <remarks>
/// Unlike the trainer's history interner (unbounded, one reader, for a finite COPY), this one serves a stream that
/// never ends and several threads, so it forgets instead of growing.
/// </remarks>
internal sealed class Utf8TextCache
{
    /// <summary>Longer texts are not kept: a slot should hold an identifier or a code, not whatever a message carries.</summary>
    public const int MaxCachedLength = 64;

    private readonly string?[] _slots;
    private readonly int _mask;

    /// <param name="slots">how many texts are kept at most; a power of two, at least 2.</param>
    public Utf8TextCache(int slots)
    {
        if (slots < 2 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "the number of slots must be a power of two, at least 2");
        }
        _slots = new string?[slots];
        _mask = slots - 1;
    }

    /// <summary>The string of the ASCII text <paramref name="ascii"/>: the cached one when either slot of its pair holds the same text.</summary>
    public string Get(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length > MaxCachedLength)
        {
            return Encoding.ASCII.GetString(ascii);
        }
        var hash = SlotHash(ascii);
        var pair = hash & _mask & ~1;
        ref var first = ref _slots[pair];
        ref var second = ref _slots[pair + 1];
        var cached = Volatile.Read(ref first);
        if (cached is not null && Ascii.Equals(ascii, cached))
        {
            return cached;
        }
        var other = Volatile.Read(ref second);
        if (other is not null && Ascii.Equals(ascii, other))
        {
            return other;
        }
        var text = Encoding.ASCII.GetString(ascii);
        // An empty slot first; when both are taken, the one a bit of the hash picks, so a third text meeting two
        // others does not always push out the same one.
        ref var into = ref cached is null ? ref first : ref other is null ? ref second : ref ((hash >> 20) & 1) == 0 ? ref first : ref second;
        Volatile.Write(ref into, text);
        return text;
    }

    /// <summary>
    /// A slot's hash: eight bytes a step, multiplied and folded, rather than a byte a step; it only spreads texts over
    /// slots (nothing outside this process sees it), so it need not be stable like <see cref="Features.StableHash"/>.
    /// </summary>
    private static int SlotHash(ReadOnlySpan<byte> text)
    {
        var hash = (ulong)text.Length * 0x9E3779B97F4A7C15UL;
        while (text.Length >= sizeof(ulong))
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(text)) * 0xFF51AFD7ED558CCDUL;
            hash ^= hash >> 32;
            text = text[sizeof(ulong)..];
        }
        if (!text.IsEmpty)
        {
            ulong tail = 0;
            for (var i = 0; i < text.Length; i++)
            {
                tail |= (ulong)text[i] << (8 * i);
            }
            hash ^= tail;
        }
        // A multiply carries a byte's bits only upwards, and the slot is the hash's low bits: fold the high bits down
        // (MurmurHash3's finaliser), or texts that differ in their last bytes (card-000866, card-000911) share slots.
        hash = (hash ^ (hash >> 33)) * 0xFF51AFD7ED558CCDUL;
        hash = (hash ^ (hash >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return (int)(hash ^ (hash >> 33));
    }
}
