using System.Text;

namespace Fraud.Streaming.Trainer.History;

/// <summary>Strict UTF-8 decoding for history text: invalid bytes are an error, never replacement characters.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public static string Decode(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return Strict.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("history text is not valid UTF-8", ex);
        }
    }

    /// <summary>Whether the bytes are valid UTF-8 (an id that is only copied, never decoded, is checked with this).</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => System.Text.Unicode.Utf8.IsValid(utf8);
}
