namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Maps the UTF-8 bytes of a text to a value computed once per distinct text: history repeats a few thousand
/// cards, merchants, countries and channels millions of times, and the feature pipeline needs only a hash or a code
/// of each (<see cref="Shared.Features.FeatureInput"/>). The first time a text is seen it is decoded (strictly) and
/// reduced by the given function, the same the scorer applies to its strings, so both paths get the same values;
/// every repeat costs a <see cref="Utf8Map{T}"/> lookup. Not thread-safe.
/// </summary>
/// <typeparam name="T">what a text reduces to.</typeparam>
internal sealed class Utf8Interner<T>(Func<string, T> reduce)
{
    private readonly Utf8Map<T> _values = new();

    /// <summary>Distinct texts seen.</summary>
    public int Count => _values.Count;

    /// <summary>The value of the text whose UTF-8 bytes are <paramref name="utf8"/>.</summary>
    /// <exception cref="InvalidDataException">the bytes are not valid UTF-8.</exception>
    public T Get(ReadOnlySpan<byte> utf8)
    {
        if (_values.TryGet(utf8, out var value))
        {
            return value;
        }
        value = reduce(Utf8Text.Decode(utf8)); // before adding: invalid bytes must not leave an entry behind
        _values.GetOrAdd(utf8, out _) = value;
        return value;
    }
}
