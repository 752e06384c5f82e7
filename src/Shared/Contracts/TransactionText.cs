using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// An identifier of a transaction (its id, card, merchant, device, address) as <see cref="TransactionFields"/> hold it:
/// a string, or, when read from a whole message where it was written as plain ASCII, that message's own bytes. Every
/// use the scoring path makes of an identifier (its keys and hashes, a comparison with the message key, the verdict's
/// JSON, the contract's text rules) reads the bytes as it would read the string, so a stream of cards and devices seen
/// once each makes no string for them; <see cref="Text"/> makes one where a string is needed.
/// </summary>
/// <remarks>
/// ASCII bytes are their UTF-16 code units, so every function here gives the same answer for the bytes as for the
/// string: the same <see cref="StableHash"/> values, the same JSON, the same length. Bytes kept so keep the message's
/// value array alive as long as the fields are.
/// </remarks>
public readonly struct TransactionText
{
    private readonly string? _text;
    private readonly byte[]? _owner;
    private readonly int _start;
    private readonly int _length;

    /// <summary>The text <paramref name="text"/> (null for none).</summary>
    public TransactionText(string? text) => _text = text;

    /// <summary>The <paramref name="length"/> ASCII bytes of <paramref name="owner"/> from <paramref name="start"/>.</summary>
    internal TransactionText(byte[] owner, int start, int length)
    {
        _owner = owner;
        _start = start;
        _length = length;
    }

    /// <summary>Whether there is no text (an optional field left out, or null).</summary>
    public bool IsNull => _owner is null && _text is null;

    /// <summary>Whether the text is held as ASCII bytes (<see cref="Ascii"/>) rather than as a string.</summary>
    public bool IsAscii => _owner is not null;

    /// <summary>The text's ASCII bytes when <see cref="IsAscii"/>; empty otherwise.</summary>
    public ReadOnlySpan<byte> Ascii => _owner.AsSpan(_start, _length);

    /// <summary>The text as a string: the one held, or a new one made from its bytes; null when there is none.</summary>
    public string? Text => _owner is not null ? Encoding.ASCII.GetString(Ascii) : _text;

    /// <summary><see cref="StableHash.Of64(string?)"/> of the text (null hashes as the empty string).</summary>
    public ulong Of64 => _owner is not null ? StableHash.Of64Ascii(Ascii) : StableHash.Of64(_text);

    /// <summary><see cref="StableHash.Of(string?)"/> of the text (0 for none, as there).</summary>
    public int Of32 => _owner is not null ? StableHash.OfAscii(Ascii) : StableHash.Of(_text);

    /// <summary>Whether the text's UTF-8 bytes are <paramref name="utf8"/>, compared without making a string.</summary>
    public bool Utf8Equals(ReadOnlySpan<byte> utf8)
    {
        if (_owner is not null)
        {
            return Ascii.SequenceEqual(utf8);
        }
        if (_text is null || utf8.Length > 4 * ContractLimits.MaxTextLength || utf8.Length != Encoding.UTF8.GetByteCount(_text))
        {
            return false;
        }
        Span<byte> encoded = stackalloc byte[utf8.Length];
        Encoding.UTF8.GetBytes(_text, encoded);
        return encoded.SequenceEqual(utf8);
    }

    /// <summary>Writes the text as a JSON string property: the same bytes from the ASCII bytes as from the string.</summary>
    public void Write(Utf8JsonWriter writer, JsonEncodedText name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_owner is not null)
        {
            writer.WriteString(name, Ascii);
        }
        else
        {
            writer.WriteString(name, _text);
        }
    }

    /// <summary>
    /// The contract's rule for the text (<see cref="ContractText.Text(string?, ContractText.TextRule, string, int, out RejectReason)"/>),
    /// applied to its characters: bytes are widened on the stack, never made a string.
    /// </summary>
    internal bool Check(ContractText.TextRule rule, string field, int maxLength, out RejectReason reason)
    {
        if (_owner is null || _length > ContractLimits.MaxTextLength)
        {
            // (The reader keeps no longer text as bytes; one given so is judged as a string all the same.)
            return ContractText.Text(Text, rule, field, maxLength, out reason);
        }
        Span<char> chars = stackalloc char[_length];
        System.Text.Ascii.ToUtf16(Ascii, chars, out _);
        return ContractText.Text(chars, rule, field, maxLength, out reason);
    }

    public static implicit operator TransactionText(string? text) => new(text);
}
