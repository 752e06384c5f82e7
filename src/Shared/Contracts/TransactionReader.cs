using System.Text;
using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// Reads a transaction of the common shape straight off <see cref="Utf8JsonReader"/>: each field of the contract at
/// most once, no attributes, nothing else. Anything else (a syntax error, an unknown or repeated field, a null where a
/// text is required, attributes, a number out of range) it leaves to System.Text.Json by answering false, and
/// <see cref="TransactionValidator"/> then asks the serializer, whose transaction or complaint is the contract's. So this
/// reader decides nothing; it only makes the messages every service reads most cheaper to read.
/// </summary>
/// <remarks>
/// Written by hand because the serializer's object path, for a record of <c>required</c> and <c>init</c> members with
/// duplicate fields refused, costs about 200 bytes of bookkeeping per transaction (boxed member values, the required
/// and duplicate tracking) beside the transaction itself, and a new string for every text even when the same card,
/// merchant or country came a message before. Here the bookkeeping is a bit mask, the codes come from a
/// <see cref="Utf8TextCache"/>, and the identifiers are left in the message (<see cref="TransactionText"/>) or, where a
/// record is wanted, come from a cache too; reading a message of this shape into <see cref="TransactionFields"/> makes
/// no object at all. A differential test holds it to the serializer: whatever it accepts, the serializer
/// accepts as the same transaction.
/// </remarks>
internal static class TransactionReader
{
    /// <summary>The record's members, named as they are there: their JSON names come from the contract's naming (<see cref="Names"/>).</summary>
    private enum Field
    {
        SchemaVersion,
        TransactionId,
        EventTime,
        CardId,
        MerchantId,
        MerchantCategory,
        Amount,
        Currency,
        Country,
        Channel,
        DeviceId,
        Ip,
        EmailDomain,
        Attributes,
    }

    private const int FieldCount = (int)Field.Attributes + 1;

    /// <summary>The fields the record marks <c>required</c>.</summary>
    private const int Required = (1 << (int)Field.TransactionId) | (1 << (int)Field.EventTime) | (1 << (int)Field.CardId)
        | (1 << (int)Field.MerchantId) | (1 << (int)Field.MerchantCategory) | (1 << (int)Field.Amount) | (1 << (int)Field.Currency)
        | (1 << (int)Field.Country) | (1 << (int)Field.Channel);

    /// <summary>Identifiers that recur per card, merchant, device or address, for the records made here (the fields keep the bytes).</summary>
    private static readonly Utf8TextCache Identifiers = new(1 << 15);

    /// <summary>Codes of a few hundred values at most: categories, currencies, countries, channels, e-mail domains.</summary>
    private static readonly Utf8TextCache Codes = new(1 << 12);

    /// <summary>The reader of <paramref name="utf8"/>'s transaction; false when the serializer must read it (see the class).</summary>
    /// <param name="owner">
    /// the array <paramref name="utf8"/> is, whole: identifiers of plain ASCII are then kept as its slices rather than
    /// made strings (<see cref="TransactionText"/>); null makes them strings, recurring ones from a cache.
    /// </param>
    public static bool TryRead(ReadOnlySpan<byte> utf8, byte[]? owner, out TransactionFields transaction)
    {
        if (owner is not null && owner.Length != utf8.Length)
        {
            throw new ArgumentException("the owner must be the whole input", nameof(owner));
        }
        try
        {
            var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
            if (TryReadObject(ref reader, owner, out transaction) && !reader.Read())
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON or text that is not valid UTF-8: the serializer says which.
        }
        transaction = default;
        return false;
    }

    private static bool TryReadObject(ref Utf8JsonReader reader, byte[]? owner, out TransactionFields transaction)
    {
        transaction = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var seen = 0;
        var expected = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader, expected);
            if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read() || !TryRead(ref reader, (Field)field, owner, ref transaction))
            {
                return false;
            }
            seen |= 1 << field;
            expected = field + 1;
        }
        return reader.TokenType == JsonTokenType.EndObject && (seen & Required) == Required;
    }

    /// <summary>The field the property name names, trying the one after the last first (writers keep the record's order); -1 when none.</summary>
    private static int FieldOf(ref Utf8JsonReader reader, int expected)
    {
        if (expected < FieldCount && reader.ValueTextEquals(Names[expected]))
        {
            return expected;
        }
        for (var field = 0; field < FieldCount; field++)
        {
            if (field != expected && reader.ValueTextEquals(Names[field]))
            {
                return field;
            }
        }
        return -1;
    }

    /// <summary>The JSON names, by <see cref="Field"/>: the record's members as the contract's serializer names them.</summary>
    private static readonly byte[][] Names = [.. Enum.GetNames<Field>().Select(member => Encoding.UTF8.GetBytes(ContractJson.NameOf(member)))];

    /// <summary>
    /// The value the reader is on, as <paramref name="field"/>; false where the serializer must judge it. A transaction
    /// without <c>schema_version</c> reads as version 0, as the serializer reads it (its path for <c>init</c> members does
    /// not run the record's initializer), so the validator refuses it.
    /// </summary>
    private static bool TryRead(ref Utf8JsonReader reader, Field field, byte[]? owner, ref TransactionFields t)
    {
        switch (field)
        {
            case Field.SchemaVersion:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version))
                {
                    return false;
                }
                t.SchemaVersion = version;
                return true;
            case Field.EventTime:
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var time))
                {
                    return false;
                }
                t.EventTime = time;
                return true;
            case Field.Amount:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var amount) || !double.IsFinite(amount))
                {
                    return false;
                }
                t.Amount = amount;
                return true;
            case Field.Attributes:
                // Attributes are the serializer's to read (and to refuse repeated keys in); a null is none.
                return reader.TokenType == JsonTokenType.Null;
            case Field.TransactionId or Field.CardId or Field.MerchantId or Field.DeviceId or Field.Ip:
                return TryIdentifier(ref reader, field, owner, ref t);
            default:
                return TryCode(ref reader, field, ref t);
        }
    }

    /// <summary>The codes, from <see cref="Codes"/>; the e-mail domain is optional (a null is none), the others refuse a null.</summary>
    private static bool TryCode(ref Utf8JsonReader reader, Field field, ref TransactionFields t)
    {
        string? text = null;
        if (!(field == Field.EmailDomain && reader.TokenType == JsonTokenType.Null) && !TryText(ref reader, Codes, out text))
        {
            return false;
        }
        switch (field)
        {
            case Field.MerchantCategory: t.MerchantCategory = text!; break;
            case Field.Currency: t.Currency = text!; break;
            case Field.Country: t.Country = text!; break;
            case Field.Channel: t.Channel = text!; break;
            default: t.EmailDomain = text; break;
        }
        return true;
    }

    /// <summary>
    /// The identifiers; device and address are optional (a null is none), the others refuse a null. Kept as their slice of
    /// <paramref name="owner"/> where written there as plain ASCII no longer than any text may be (the validator and the
    /// scorer read them there); otherwise strings, recurring ones from <see cref="Identifiers"/>.
    /// </summary>
    private static bool TryIdentifier(ref Utf8JsonReader reader, Field field, byte[]? owner, ref TransactionFields t)
    {
        TransactionText text;
        if (reader.TokenType == JsonTokenType.Null && field is Field.DeviceId or Field.Ip)
        {
            text = default;
        }
        else if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        else if (owner is not null && reader.ValueSpan.Length <= ContractLimits.MaxTextLength && IsPlainAscii(ref reader))
        {
            // A string token starts at its opening quote.
            text = new TransactionText(owner, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }
        else
        {
            // The id never recurs: it is not worth a slot.
            _ = TryText(ref reader, field == Field.TransactionId ? null : Identifiers, out var value);
            text = value;
        }
        switch (field)
        {
            case Field.TransactionId: t.TransactionId = text; break;
            case Field.CardId: t.CardId = text; break;
            case Field.MerchantId: t.MerchantId = text; break;
            case Field.DeviceId: t.DeviceId = text; break;
            default: t.Ip = text; break;
        }
        return true;
    }

    /// <summary>A JSON string (a null is refused where the contract says text); recurring ASCII texts from <paramref name="cache"/>.</summary>
    private static bool TryText(ref Utf8JsonReader reader, Utf8TextCache? cache, out string? text)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            text = null;
            return false;
        }
        text = cache is not null && IsPlainAscii(ref reader) ? cache.Get(reader.ValueSpan) : reader.GetString();
        return true;
    }

    /// <summary>Whether the string the reader is on is written as it reads: ASCII, no escapes, in one piece (its bytes are its characters).</summary>
    private static bool IsPlainAscii(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(reader.ValueSpan);
}
