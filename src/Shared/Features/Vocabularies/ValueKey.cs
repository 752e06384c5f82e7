namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// The key of a categorical value (a channel, a merchant category, a country, an attribute's text): FNV-1a 64 over the
/// value's UTF-16 code units with surrounding white space removed and every code unit lower-cased
/// (<see cref="char.ToLowerInvariant"/>), so " US" and "us" are one value. Computed on the span, without making the
/// normalised string. <see cref="Missing"/> (0) stands for no value; no value hashes to it.
/// </summary>
public static class ValueKey
{
    /// <summary>No value: a null or blank text.</summary>
    public const ulong Missing = 0;

    /// <summary>The key of <paramref name="value"/>; <see cref="Missing"/> when it is null or blank.</summary>
    public static ulong Of(string? value) => value is null ? Missing : Of(value.AsSpan());

    /// <summary>The key of <paramref name="value"/>; <see cref="Missing"/> when it is blank.</summary>
    public static ulong Of(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.IsEmpty)
        {
            return Missing;
        }
        var hash = 14695981039346656037ul;
        foreach (var c in value)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 1099511628211ul;
        }
        return hash == Missing ? 1 : hash;
    }

    /// <summary>The text a key stands for, as vocabularies keep it: trimmed and lower-cased like <see cref="Of(ReadOnlySpan{char})"/>.</summary>
    public static string Normalise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.AsSpan().Trim();
        return string.Create(trimmed.Length, value, static (destination, source) =>
        {
            var span = source.AsSpan().Trim();
            for (var i = 0; i < span.Length; i++)
            {
                destination[i] = char.ToLowerInvariant(span[i]);
            }
        });
    }
}
