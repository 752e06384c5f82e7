using System.Diagnostics.CodeAnalysis;
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
/// merchant or country came a message before. Here the recurring texts come from <see cref="Utf8TextCache"/>s and the
/// bookkeeping is a bit mask. A differential test holds it to the serializer: whatever it accepts, the serializer
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

    /// <summary>Identifiers that recur per card, merchant, device or address.</summary>
    private static readonly Utf8TextCache Identifiers = new(1 << 15);

    /// <summary>Codes of a few hundred values at most: categories, currencies, countries, channels, e-mail domains.</summary>
    private static readonly Utf8TextCache Codes = new(1 << 10);

    /// <summary>The reader of <paramref name="utf8"/>'s transaction; false when the serializer must read it (see the class).</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Transaction? transaction)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
            if (TryReadObject(ref reader, out transaction) && !reader.Read())
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON or text that is not valid UTF-8: the serializer says which.
        }
        transaction = null;
        return false;
    }

    private static bool TryReadObject(ref Utf8JsonReader reader, [NotNullWhen(true)] out Transaction? transaction)
    {
        transaction = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var values = default(Values);
        var seen = 0;
        var expected = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader, expected);
            if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read() || !values.TryRead(ref reader, (Field)field))
            {
                return false;
            }
            seen |= 1 << field;
            expected = field + 1;
        }
        if (reader.TokenType != JsonTokenType.EndObject || (seen & Required) != Required)
        {
            return false;
        }
        transaction = values.ToTransaction();
        return true;
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
    /// The members read so far. A transaction without <c>schema_version</c> reads as version 0, as the serializer reads it
    /// (its path for <c>init</c> members does not run the record's initializer), so the validator refuses it.
    /// </summary>
    private struct Values
    {
        private int _schemaVersion;
        private string? _transactionId, _cardId, _merchantId, _merchantCategory, _currency, _country, _channel, _deviceId, _ip, _emailDomain;
        private DateTimeOffset _eventTime;
        private double _amount;

        /// <summary>The value the reader is on, as <paramref name="field"/>; false where the serializer must judge it.</summary>
        public bool TryRead(ref Utf8JsonReader reader, Field field) => field switch
        {
            Field.SchemaVersion => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out _schemaVersion),
            Field.TransactionId => TryText(ref reader, null, out _transactionId),
            Field.EventTime => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out _eventTime),
            Field.CardId => TryText(ref reader, Identifiers, out _cardId),
            Field.MerchantId => TryText(ref reader, Identifiers, out _merchantId),
            Field.MerchantCategory => TryText(ref reader, Codes, out _merchantCategory),
            Field.Amount => reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out _amount) && double.IsFinite(_amount),
            Field.Currency => TryText(ref reader, Codes, out _currency),
            Field.Country => TryText(ref reader, Codes, out _country),
            Field.Channel => TryText(ref reader, Codes, out _channel),
            Field.DeviceId => TryOptionalText(ref reader, Identifiers, out _deviceId),
            Field.Ip => TryOptionalText(ref reader, Identifiers, out _ip),
            Field.EmailDomain => TryOptionalText(ref reader, Codes, out _emailDomain),
            // Attributes are the serializer's to read (and to refuse repeated keys in); a null is none.
            _ => reader.TokenType == JsonTokenType.Null,
        };

        public readonly Transaction ToTransaction() => new()
        {
            SchemaVersion = _schemaVersion,
            TransactionId = _transactionId!,
            EventTime = _eventTime,
            CardId = _cardId!,
            MerchantId = _merchantId!,
            MerchantCategory = _merchantCategory!,
            Amount = _amount,
            Currency = _currency!,
            Country = _country!,
            Channel = _channel!,
            DeviceId = _deviceId,
            Ip = _ip,
            EmailDomain = _emailDomain,
        };

        private static bool TryOptionalText(ref Utf8JsonReader reader, Utf8TextCache? cache, out string? text)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                text = null;
                return true;
            }
            return TryText(ref reader, cache, out text);
        }

        /// <summary>A JSON string (a null is refused where the contract says text); recurring ASCII texts from <paramref name="cache"/>.</summary>
        private static bool TryText(ref Utf8JsonReader reader, Utf8TextCache? cache, out string? text)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                text = null;
                return false;
            }
            var span = reader.ValueSpan;
            text = cache is not null && !reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(span)
                ? cache.Get(span)
                : reader.GetString();
            return true;
        }
    }
}
