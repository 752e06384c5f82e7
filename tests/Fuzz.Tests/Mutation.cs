using System.Text;

namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>One byte-level change to a message, applied at a position given as a fraction of its length.</summary>
public sealed record Mutation(MutationKind Kind, double At, int Size, int Pick)
{
    /// <summary>Numbers and strings that have broken parsers, float32 features or Postgres before.</summary>
    private static readonly string[] Numbers = ["1e308", "-1e308", "3.4e38", "3.5e38", "1e-320", "-0", "1e12", "1000000000000.01", "1e400", "NaN", "99999999999999999999", "0.1e1", "-1"];

    private static readonly string[] Strings = ["\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"😀\"", "null", "\"9999-12-31T23:59:59Z\"",
        "\"1999-12-31T23:59:59Z\"", "\"2026-02-30T00:00:00Z\"", "[]", "{}", "[null]", "true", "\"" + new string('x', 300) + "\""];

    private static readonly byte[] Bytes = [0x00, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)',', (byte)':', (byte)'-', (byte)'9', 0xFF, 0xC0, 0x80, (byte)'\n'];

    public byte[] Apply(byte[] input)
    {
        var at = Math.Clamp((int)(At * input.Length), 0, input.Length);
        var size = Math.Clamp(Size, 1, 64);
        return Kind switch
        {
            MutationKind.FlipBit when input.Length > 0 => Replace(input, Math.Min(at, input.Length - 1), 1, [(byte)(input[Math.Min(at, input.Length - 1)] ^ (1 << (Pick & 7)))]),
            MutationKind.SetByte when input.Length > 0 => Replace(input, Math.Min(at, input.Length - 1), 1, [Bytes[Pick % Bytes.Length]]),
            MutationKind.Insert => Replace(input, at, 0, [Bytes[Pick % Bytes.Length]]),
            MutationKind.Delete => Replace(input, at, Math.Min(size, input.Length - at), []),
            MutationKind.Duplicate => Replace(input, at, 0, input.AsSpan(at, Math.Min(size, input.Length - at)).ToArray()),
            MutationKind.Number => Token(input, at, IsNumberStart, Numbers[Pick % Numbers.Length]),
            MutationKind.String => Token(input, at, b => b == '"', Strings[Pick % Strings.Length]),
            _ => input,
        };
    }

    private static bool IsNumberStart(byte b) => b is (byte)'-' || char.IsAsciiDigit((char)b);

    /// <summary>Replaces the JSON value (number or string) that starts at or after <paramref name="at"/>.</summary>
    private static byte[] Token(byte[] input, int at, Func<byte, bool> starts, string replacement)
    {
        var start = Array.FindIndex(input, Math.Min(at, input.Length), new Predicate<byte>(starts));
        if (start < 0)
        {
            return input;
        }
        var end = start + 1;
        if (input[start] == '"')
        {
            while (end < input.Length && (input[end] != '"' || input[end - 1] == '\\'))
            {
                end++;
            }
            end = Math.Min(end + 1, input.Length);
        }
        else
        {
            while (end < input.Length && (IsNumberStart(input[end]) || input[end] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+'))
            {
                end++;
            }
        }
        return Replace(input, start, end - start, Encoding.UTF8.GetBytes(replacement));
    }

    private static byte[] Replace(byte[] input, int at, int length, byte[] with) => [.. input.AsSpan(0, at), .. with, .. input.AsSpan(at + length)];
}

public enum MutationKind
{
    FlipBit,
    SetByte,
    Insert,
    Delete,
    Duplicate,
    Number,
    String,
}
