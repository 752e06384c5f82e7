using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// What an encoding reads of a transaction, as a row of raw 64-bit slots: first the <see cref="FieldCount"/>
/// <see cref="CategoricalField"/>s (their <see cref="ValueKey"/>s), then one slot per declared attribute (a number's bits,
/// or a text's key: <see cref="AttributeValues"/>). The trainer keeps these slots per row until it has learned its
/// vocabularies; the scorer fills them per transaction. Reading allocates nothing but what a JSON string attribute needs.
/// </summary>
public sealed class EncodingLayout
{
    /// <summary>Slots of the contract's categorical fields, before the attributes.</summary>
    public const int FieldCount = 5;

    private static readonly string[] FieldNames = ["channel", "merchant_category", "country", "currency", "email_domain"];

    /// <exception cref="ArgumentException">an attribute name is blank or declared twice.</exception>
    public EncodingLayout(IReadOnlyList<AttributeDeclaration> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (string.IsNullOrWhiteSpace(attribute.Name))
            {
                throw new ArgumentException("an attribute name is blank", nameof(attributes));
            }
            if (!names.Add(attribute.Name))
            {
                throw new ArgumentException($"attribute '{attribute.Name}' is declared twice", nameof(attributes));
            }
            if (!float.IsFinite(attribute.NumericDefault))
            {
                throw new ArgumentException($"attribute '{attribute.Name}': the default must be a finite number", nameof(attributes));
            }
        }
        Attributes = [.. attributes];
    }

    /// <summary>The contract fields only, no attribute.</summary>
    public static EncodingLayout FieldsOnly { get; } = new([]);

    public IReadOnlyList<AttributeDeclaration> Attributes { get; }

    public int SlotCount => FieldCount + Attributes.Count;

    /// <summary>The name of a field (<c>merchant_category</c>) or attribute (<c>attributes.M4</c>) slot, as metrics and messages say it.</summary>
    public string SlotName(int slot) => slot < FieldCount ? FieldNames[slot] : $"attributes.{Attributes[slot - FieldCount].Name}";

    /// <summary>The contract name of a field.</summary>
    public static string NameOf(CategoricalField field) => FieldNames[(int)field];

    /// <summary>Whether slot <paramref name="slot"/> holds a text's key (fields, categorical attributes) rather than a number.</summary>
    public bool IsCategorical(int slot) => slot < FieldCount || Attributes[slot - FieldCount].Kind == AttributeKind.Categorical;

    /// <summary>The key of one of the transaction's categorical fields: the channel's canonical one, the others' text keys.</summary>
    public static ulong KeyOf(in TransactionFields t, CategoricalField field) => field switch
    {
        CategoricalField.Channel => ChannelNames.KeyOf(t.Channel),
        CategoricalField.MerchantCategory => ValueKey.Of(t.MerchantCategory),
        CategoricalField.Country => ValueKey.Of(t.Country),
        CategoricalField.Currency => ValueKey.Of(t.Currency),
        CategoricalField.EmailDomain => ValueKey.Of(t.EmailDomain),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Writes the transaction's <see cref="SlotCount"/> slots.</summary>
    public void Read(Transaction t, Span<ulong> slots)
    {
        ArgumentNullException.ThrowIfNull(t);
        Read(TransactionFields.Of(t), slots);
    }

    /// <summary>Writes the transaction's <see cref="SlotCount"/> slots.</summary>
    public void Read(in TransactionFields t, Span<ulong> slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots.Length, SlotCount);
        for (var field = 0; field < FieldCount; field++)
        {
            slots[field] = KeyOf(t, (CategoricalField)field);
        }
        for (var a = 0; a < Attributes.Count; a++)
        {
            var attribute = Attributes[a];
            slots[FieldCount + a] = t.Attributes is { } map && map.TryGetValue(attribute.Name, out var value)
                ? Slot(attribute, value)
                : Missing(attribute);
        }
    }

    /// <summary>The slot of one attribute's JSON value.</summary>
    public static ulong Slot(AttributeDeclaration attribute, System.Text.Json.JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return attribute.Kind == AttributeKind.Numeric ? AttributeValues.Numeric(value) : AttributeValues.Categorical(value);
    }

    /// <summary>The slot of an attribute a transaction lacks.</summary>
    public static ulong Missing(AttributeDeclaration attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return attribute.Kind == AttributeKind.Numeric ? AttributeValues.MissingNumber : ValueKey.Missing;
    }

    /// <summary>
    /// The text slot <paramref name="slot"/> of <paramref name="t"/> stands for, as vocabularies keep it (normalised,
    /// channels by canonical name; a missing categorical attribute with a declared default reads as the default); null
    /// for no value and for numeric attributes.
    /// </summary>
    public string? TextOf(Transaction t, int slot)
    {
        ArgumentNullException.ThrowIfNull(t);
        return TextOf(TransactionFields.Of(t), slot);
    }

    /// <summary>As <see cref="TextOf(Transaction, int)"/>, of the fields.</summary>
    public string? TextOf(in TransactionFields t, int slot)
    {
        string? text;
        if (slot < FieldCount)
        {
            text = (CategoricalField)slot switch
            {
                CategoricalField.Channel => t.Channel,
                CategoricalField.MerchantCategory => t.MerchantCategory,
                CategoricalField.Country => t.Country,
                CategoricalField.Currency => t.Currency,
                _ => t.EmailDomain,
            };
        }
        else
        {
            var attribute = Attributes[slot - FieldCount];
            if (attribute.Kind == AttributeKind.Numeric)
            {
                return null;
            }
            text = t.Attributes is { } map && map.TryGetValue(attribute.Name, out var value) ? AttributeValues.CategoricalText(value) : null;
            text = ValueKey.Of(text) == ValueKey.Missing ? attribute.CategoricalDefault : text;
        }
        return ValueKey.Of(text) == ValueKey.Missing ? null
            : slot == (int)CategoricalField.Channel ? ChannelNames.Canonicalise(text!) : ValueKey.Normalise(text!);
    }
}
