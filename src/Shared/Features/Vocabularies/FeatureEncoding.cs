using System.Globalization;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// The tail of a model's feature vector that depends on its training data: a vocabulary code per
/// <see cref="CategoricalField"/>, then one feature per declared attribute (a number, or a vocabulary code). Learned by
/// the trainer, frozen into the model's manifest, covered by the spec hash (<see cref="Definitions"/> lists every value),
/// applied by the scorer with the serving model's. <see cref="None"/> has no feature at all.
/// </summary>
/// <remarks>
/// Unlike a frozen risk table (a merchant's fraud rate moves with the stream), a vocabulary is a property of how the
/// data is written down: it carries no label, so freezing it leaks nothing and goes stale only when new values appear,
/// which the scorer counts.
/// </remarks>
public sealed class FeatureEncoding
{
    private readonly Vocabulary?[] _vocabularies; // per slot; null for numeric attributes

    private FeatureEncoding(EncodingLayout layout, Vocabulary?[] vocabularies, bool none)
    {
        Layout = layout;
        _vocabularies = vocabularies;
        IsNone = none;
        var definitions = new List<(string, string)>();
        if (!none)
        {
            for (var slot = 0; slot < layout.SlotCount; slot++)
            {
                definitions.Add(Definition(slot));
            }
        }
        Definitions = definitions;
        Names = definitions.Select(d => d.Item1).ToArray();
    }

    /// <param name="fields">the vocabulary of each <see cref="CategoricalField"/>, in field order.</param>
    /// <param name="attributes">each declared attribute, with its vocabulary when categorical.</param>
    /// <exception cref="ArgumentException">not one vocabulary per field, an attribute declared twice, or a vocabulary missing or misplaced.</exception>
    public FeatureEncoding(IReadOnlyList<Vocabulary> fields, IReadOnlyList<(AttributeDeclaration Attribute, Vocabulary? Vocabulary)> attributes)
        : this(new EncodingLayout([.. attributes.Select(a => a.Attribute)]), Slots(fields, attributes), none: false)
    {
    }

    /// <summary>No encoded feature: the spec's card and entity features only.</summary>
    public static FeatureEncoding None { get; } = new(EncodingLayout.FieldsOnly, new Vocabulary?[EncodingLayout.FieldCount], none: true);

    public bool IsNone { get; }

    /// <summary>What the encoding reads of a transaction.</summary>
    public EncodingLayout Layout { get; }

    /// <summary>Feature names, in vector order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Feature names with their definitions, every vocabulary value included: part of the spec's hashed text.</summary>
    public IReadOnlyList<(string Name, string Definition)> Definitions { get; }

    public int Count => Names.Count;

    /// <summary>The vocabulary of a categorical slot; null for a numeric attribute.</summary>
    public Vocabulary? VocabularyOf(int slot) => _vocabularies[slot];

    /// <summary>
    /// Writes the <see cref="Count"/> features of one row of slots (<see cref="EncodingLayout.Read(in Contracts.TransactionFields, Span{ulong})"/>) and flags, per slot,
    /// whether it held a value outside its vocabulary.
    /// </summary>
    public void Write(ReadOnlySpan<ulong> slots, Span<float> destination, Span<bool> unseen)
    {
        if (IsNone)
        {
            unseen.Clear();
            return;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(unseen.Length, Layout.SlotCount);
        for (var slot = 0; slot < _vocabularies.Length; slot++)
        {
            var value = slots[slot];
            if (_vocabularies[slot] is { } vocabulary)
            {
                if (value == ValueKey.Missing && slot >= EncodingLayout.FieldCount && Layout.Attributes[slot - EncodingLayout.FieldCount].CategoricalDefault is { } fallback)
                {
                    value = ValueKey.Of(fallback);
                }
                var code = vocabulary.Code(value);
                destination[slot] = code;
                unseen[slot] = code == Vocabulary.UnseenCode;
            }
            else
            {
                destination[slot] = AttributeValues.NumericFeature(value, Layout.Attributes[slot - EncodingLayout.FieldCount].NumericDefault);
                unseen[slot] = false;
            }
        }
    }

    /// <summary>The encoding as the manifest keeps it; null for <see cref="None"/>.</summary>
    public FeatureEncodingInfo? ToInfo()
    {
        if (IsNone)
        {
            return null;
        }
        var fields = Enumerable.Range(0, EncodingLayout.FieldCount)
            .Select(slot => new VocabularyInfo(Layout.SlotName(slot), _vocabularies[slot]!.Values)).ToList();
        var attributes = Layout.Attributes.Select((a, i) => a.Kind == AttributeKind.Numeric
            ? new AttributeInfo(a.Name, "numeric") { Default = a.NumericDefault }
            : new AttributeInfo(a.Name, "categorical") { DefaultValue = a.CategoricalDefault, Values = _vocabularies[EncodingLayout.FieldCount + i]!.Values })
            .ToList();
        return new FeatureEncodingInfo(fields, attributes);
    }

    /// <summary>The encoding a manifest names; <see cref="None"/> for null.</summary>
    /// <exception cref="InvalidDataException">the manifest's encoding is not one this build can apply; the message says why.</exception>
    public static FeatureEncoding FromInfo(FeatureEncodingInfo? info)
    {
        if (info is null)
        {
            return None;
        }
        try
        {
            if (info.Vocabularies is not { Count: EncodingLayout.FieldCount }
                || info.Vocabularies.Select((v, i) => v.Field == EncodingLayout.NameOf((CategoricalField)i)).Any(ok => !ok))
            {
                throw new InvalidDataException(
                    $"the encoding needs one vocabulary per field, in the order {string.Join(", ", Enumerable.Range(0, EncodingLayout.FieldCount).Select(i => EncodingLayout.NameOf((CategoricalField)i)))}");
            }
            var fields = info.Vocabularies.Select(v => new Vocabulary(v.Values ?? [])).ToList();
            var attributes = (info.Attributes ?? []).Select(Attribute).ToList();
            return new FeatureEncoding(fields, attributes);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"the encoding is invalid: {ex.Message}", ex);
        }
    }

    private static (AttributeDeclaration, Vocabulary?) Attribute(AttributeInfo a) => a.Type switch
    {
        "numeric" => (new AttributeDeclaration(a.Name, AttributeKind.Numeric, a.Default is { } d ? (float)d : AttributeDeclaration.DefaultNumeric), null),
        "categorical" => (new AttributeDeclaration(a.Name, AttributeKind.Categorical, CategoricalDefault: a.DefaultValue), new Vocabulary(a.Values ?? [])),
        _ => throw new InvalidDataException($"attribute '{a.Name}' has type '{a.Type}'; known: numeric, categorical"),
    };

    private static Vocabulary?[] Slots(IReadOnlyList<Vocabulary> fields, IReadOnlyList<(AttributeDeclaration Attribute, Vocabulary? Vocabulary)> attributes)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(attributes);
        if (fields.Count != EncodingLayout.FieldCount)
        {
            throw new ArgumentException($"{fields.Count} field vocabularies; the encoding needs {EncodingLayout.FieldCount}", nameof(fields));
        }
        var slots = new Vocabulary?[EncodingLayout.FieldCount + attributes.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            slots[i] = fields[i] ?? throw new ArgumentException("a field vocabulary is null", nameof(fields));
        }
        for (var i = 0; i < attributes.Count; i++)
        {
            var (attribute, vocabulary) = attributes[i];
            if ((attribute.Kind == AttributeKind.Categorical) != (vocabulary is not null))
            {
                throw new ArgumentException($"attribute '{attribute.Name}': a categorical attribute has a vocabulary, a numeric one none", nameof(attributes));
            }
            slots[EncodingLayout.FieldCount + i] = vocabulary;
        }
        return slots;
    }

    private (string, string) Definition(int slot)
    {
        var values = _vocabularies[slot] is { } v ? JsonSerializer.Serialize(v.Values, EncodingJsonContext.Default.IReadOnlyListString) : string.Empty;
        const string codes = "-1 missing, 0 unseen (not in the vocabulary), i for the i-th value of";
        if (slot < EncodingLayout.FieldCount)
        {
            var name = Layout.SlotName(slot);
            var how = slot == (int)CategoricalField.Channel ? "its canonical name (aliases mapped), trimmed, lower case" : "trimmed, lower case";
            return ($"{name}_code", $"vocabulary code of {name}, {how}: {codes} {values}");
        }
        var attribute = Layout.Attributes[slot - EncodingLayout.FieldCount];
        return attribute.Kind == AttributeKind.Numeric
            ? (attribute.FeatureName, string.Create(CultureInfo.InvariantCulture,
                $"attributes[\"{attribute.Name}\"] as a number (JSON number, numeric text, true 1, false 0); {attribute.NumericDefault:R} when missing or not a number"))
            : (attribute.FeatureName,
                $"vocabulary code of attributes[\"{attribute.Name}\"] as text (numbers in shortest round-trip form, true, false), trimmed, lower case{(attribute.CategoricalDefault is { } d ? $", \"{d}\" when missing" : string.Empty)}: {codes} {values}");
    }
}
