using System.Collections.Frozen;

namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// The values of one categorical input a model learned from its training data, in code order: value <c>i</c> (from 0)
/// has code <c>i + 1</c>; <see cref="UnseenCode"/> stands for any value outside the vocabulary (never seen in training,
/// or too rare to keep) and <see cref="MissingCode"/> for no value. Values are kept normalised (<see cref="ValueKey"/>)
/// and looked up by key, so reading a code allocates nothing.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>The code of a value outside the vocabulary.</summary>
    public const float UnseenCode = 0f;

    /// <summary>The code of no value.</summary>
    public const float MissingCode = -1f;

    private readonly FrozenDictionary<ulong, int> _codes;

    /// <exception cref="ArgumentException">a value is blank, or two values are the same after normalisation.</exception>
    public Vocabulary(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var codes = new Dictionary<ulong, int>(values.Count);
        var normalised = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            normalised[i] = ValueKey.Normalise(values[i] ?? throw new ArgumentException("a vocabulary value is null", nameof(values)));
            var key = ValueKey.Of(normalised[i]);
            if (key == ValueKey.Missing)
            {
                throw new ArgumentException("a vocabulary value is blank", nameof(values));
            }
            if (!codes.TryAdd(key, i + 1))
            {
                throw new ArgumentException($"the vocabulary holds '{normalised[i]}' twice", nameof(values));
            }
        }
        Values = normalised;
        _codes = codes.ToFrozenDictionary();
    }

    /// <summary>An empty vocabulary: every value is unseen.</summary>
    public static Vocabulary Empty { get; } = new([]);

    /// <summary>The values, in code order.</summary>
    public IReadOnlyList<string> Values { get; }

    public int Count => Values.Count;

    /// <summary>Whether the key (<see cref="ValueKey"/>) is in the vocabulary.</summary>
    public bool Contains(ulong key) => _codes.ContainsKey(key);

    /// <summary>The code of the value with key <paramref name="key"/> (<see cref="ValueKey"/>).</summary>
    public float Code(ulong key) =>
        key == ValueKey.Missing ? MissingCode : _codes.TryGetValue(key, out var code) ? code : UnseenCode;
}
