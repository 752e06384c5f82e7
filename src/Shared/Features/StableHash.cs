namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// FNV-1a over UTF-16 code units. Unlike <see cref="string.GetHashCode()"/> it is the same in every process
/// and on every machine, which per-card state (compared across restarts and between scorer and trainer) needs.
/// </summary>
public static class StableHash
{
    public static int Of(string? value)
    {
        if (value is null)
        {
            return 0;
        }
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash | 1u); // never 0, which means "not seen yet"
    }

    /// <summary>
    /// <see cref="Of(string?)"/> of an ASCII text given as its bytes: each byte is its own UTF-16 code unit, so the
    /// result is the string's, without making the string. For a reader of bulk text; callers check
    /// <see cref="System.Text.Ascii.IsValid(ReadOnlySpan{byte})"/> first and decode anything else.
    /// </summary>
    public static int OfAscii(ReadOnlySpan<byte> ascii)
    {
        var hash = 2166136261u;
        foreach (var c in ascii)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash | 1u);
    }

    /// <summary><see cref="Of64(string?)"/> of an ASCII text given as its bytes (see <see cref="OfAscii"/>).</summary>
    public static ulong Of64Ascii(ReadOnlySpan<byte> ascii)
    {
        var hash = 14695981039346656037ul;
        foreach (var c in ascii)
        {
            hash = (hash ^ c) * 1099511628211ul;
        }
        return hash;
    }

    /// <summary>
    /// FNV-1a 64 over UTF-16 code units: the key of a card's state (<see cref="CardStateStore.KeyOf(string)"/>), also
    /// written into state snapshots, so it must never change. <c>null</c> hashes like the empty string.
    /// </summary>
    /// <remarks>
    /// Distinct ids collide with probability about 2⁻⁶⁴ per pair (FNV-1a spreads every code unit over all 64
    /// bits through the multiply), so n cards hold a colliding pair with probability about n²/2⁶⁵: one in a million
    /// for ten million cards. A collision merges two cards' histories (wrong features for both), never crashes.
    /// </remarks>
    public static ulong Of64(string? value)
    {
        var hash = 14695981039346656037ul;
        if (value is not null)
        {
            foreach (var c in value)
            {
                hash = (hash ^ c) * 1099511628211ul;
            }
        }
        return hash;
    }
}
