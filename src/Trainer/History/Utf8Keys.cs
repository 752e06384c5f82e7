using System.Text;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// The hashes <see cref="FeatureInput"/> holds of a card, merchant, country or device, computed from the text's
/// UTF-8 bytes: for ASCII (ids and codes nearly always are) the bytes are the UTF-16 code units the string functions
/// hash, so no string is made and nothing is looked up; anything else is decoded strictly and hashed as a string.
/// Hundreds of thousands of distinct cards or devices made a lookup table of their hashes miss the caches on
/// every row; hashing a dozen bytes does not.
/// </summary>
internal static class Utf8Keys
{
    /// <summary><see cref="FeatureInput.CardKeyOf"/> / <see cref="FeatureInput.MerchantKeyOf(string?)"/> of the text.</summary>
    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public static ulong Key64(ReadOnlySpan<byte> utf8) =>
        Ascii.IsValid(utf8) ? StableHash.Of64Ascii(utf8) : StableHash.Of64(Utf8Text.Decode(utf8));

    /// <summary><see cref="FeatureInput.TextHashOf(string?)"/> of the text.</summary>
    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public static int Hash32(ReadOnlySpan<byte> utf8) =>
        Ascii.IsValid(utf8) ? StableHash.OfAscii(utf8) : StableHash.Of(Utf8Text.Decode(utf8));
}
