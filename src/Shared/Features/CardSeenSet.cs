namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// A tiny Bloom filter (two bits per value) over a card's fixed inline bit array: "has this card used this
/// merchant / country / device before". False positives grow with the number of distinct values (with 256 bits
/// and 50 merchants about 1 in 10 new merchants reads as known); false negatives never happen.
/// </summary>
public static class CardSeenSet
{
    /// <summary>Adds <paramref name="hash"/> and says whether it was (probably) there already.</summary>
    /// <param name="bits">a power-of-two number of 64-bit words.</param>
    public static bool TestAndAdd(Span<ulong> bits, int hash)
    {
        var x = (uint)hash;
        x ^= x >> 16;
        x *= 0x7feb352du;
        x ^= x >> 15;
        x *= 0x846ca68bu;
        x ^= x >> 16;
        var mask = (uint)(bits.Length * 64) - 1;
        var a = x & mask;
        var b = (x >> 16) & mask;
        ref var wordA = ref bits[(int)(a >> 6)];
        var bitA = 1ul << (int)(a & 63);
        var seen = (wordA & bitA) != 0;
        wordA |= bitA;
        ref var wordB = ref bits[(int)(b >> 6)];
        var bitB = 1ul << (int)(b & 63);
        seen &= (wordB & bitB) != 0;
        wordB |= bitB;
        return seen;
    }
}
