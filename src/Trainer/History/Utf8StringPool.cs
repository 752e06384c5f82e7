using System.Text;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Turns UTF-8 bytes into strings, handing back the same instance for the same bytes. History repeats a few
/// thousand cards, merchants, countries and channels millions of times; decoding each occurrence into a fresh
/// string was most of the allocation per row. Looked up by the bytes themselves, so a repeat costs one hash
/// and one comparison, no decoding. Not thread-safe.
/// </summary>
internal sealed class Utf8StringPool
{
    private readonly Dictionary<byte[], string> _strings = new(Utf8BytesComparer.Instance);
    private readonly Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public Utf8StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Count => _strings.Count;

    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (_lookup.TryGetValue(utf8, out var existing))
        {
            return existing;
        }
        var created = Decode(utf8);
        _strings.Add(utf8.ToArray(), created);
        return created;
    }

    /// <summary>A fresh string, for values that never repeat (transaction ids).</summary>
    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public static string Decode(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("history text is not valid UTF-8", ex);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed class Utf8BytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static Utf8BytesComparer Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
