using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// The one ordering of history: event time, then transaction id by its UTF-8 bytes (Postgres: <c>COLLATE "C"</c>).
/// For strings the comparison is by code point, which is the order of their UTF-8 bytes (a plain UTF-16 ordinal
/// comparison puts characters above U+E000 after those beyond U+FFFF, unlike the bytes).
/// </summary>
internal static class HistoryOrder
{
    public static int Compare(Transaction a, Transaction b)
    {
        var byTime = a.EventTime.UtcTicks.CompareTo(b.EventTime.UtcTicks);
        return byTime != 0 ? byTime : CompareIds(a.TransactionId, b.TransactionId);
    }

    public static int Compare(long ticksA, ReadOnlySpan<byte> idA, long ticksB, ReadOnlySpan<byte> idB)
    {
        var byTime = ticksA.CompareTo(ticksB);
        return byTime != 0 ? byTime : idA.SequenceCompareTo(idB);
    }

    /// <summary>Two ids by code point, i.e. in the order of their UTF-8 bytes.</summary>
    public static int CompareIds(string a, string b)
    {
        var i = a.AsSpan().CommonPrefixLength(b);
        return i < a.Length && i < b.Length ? Rank(a[i]).CompareTo(Rank(b[i])) : a.Length.CompareTo(b.Length);
    }

    // Surrogates (code points beyond U+FFFF) rank above U+E000–U+FFFF, as their UTF-8 lead bytes do.
    private static int Rank(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
