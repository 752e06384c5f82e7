using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// Turns raw message bytes into a <see cref="Transaction"/> or a <see cref="RejectReason"/>: the one contract the
/// scorer, Monitoring, the trainer, the producer and the offline paths apply. Never throws for bad input; every
/// failure has a reason code (bounded, a metric label) and a human-readable detail (DLQ headers, dead-letter rows).
/// Whatever it accepts, the feature pipeline, inference, reasons, verdict JSON and history rows handle without
/// throwing (a property test holds it to that).
/// </summary>
/// <remarks>
/// Accepting a message allocates only what deserializing it does: the checks themselves allocate nothing, and a message
/// of the common shape is read by <see cref="TransactionReader"/>, into a record whose recurring texts come from caches,
/// or (<see cref="TryParseFields"/>) into fields without any object.
/// </remarks>
public static class TransactionValidator
{
    /// <summary>Parses and validates against times in <paramref name="window"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, in EventTimeWindow window, [NotNullWhen(true)] out Transaction? transaction, out RejectReason reason)
    {
        transaction = TryParse(utf8, null, window, out var fields, out reason) ? fields.ToRecord() : null;
        return transaction is not null;
    }

    /// <summary>
    /// Parses and validates a whole message's value into fields, without a record where it is of the common shape:
    /// identifiers of plain ASCII stay in <paramref name="utf8"/> (<see cref="TransactionText"/>).
    /// </summary>
    public static bool TryParseFields(byte[]? utf8, in EventTimeWindow window, out TransactionFields transaction, out RejectReason reason) =>
        TryParse(utf8, utf8, window, out transaction, out reason);

    private static bool TryParse(ReadOnlySpan<byte> utf8, byte[]? owner, in EventTimeWindow window, out TransactionFields transaction, out RejectReason reason)
    {
        reason = default;
        if (!TransactionReader.TryRead(utf8, owner, out transaction))
        {
            if (!TryDeserialize(utf8, out var record, out reason))
            {
                return false;
            }
            transaction = TransactionFields.Of(record);
        }
        if (Validate(transaction, window, out reason))
        {
            return true;
        }
        transaction = default;
        return false;
    }

    /// <summary>
    /// The contract's own reading of <paramref name="utf8"/>: System.Text.Json with the contracts' options, every way
    /// the bytes fail a reason. <see cref="TransactionReader"/> reads the common shape faster and leaves the rest here.
    /// </summary>
    internal static bool TryDeserialize(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Transaction? transaction, out RejectReason reason) =>
        ContractText.TryDeserialize(utf8, static b => JsonSerializer.Deserialize(b, ContractsJsonContext.Default.Transaction), CodeOfPath,
            out transaction, out reason);

    /// <summary>Parses and validates against the wall clock now and the default skew (tests, tools).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Transaction? transaction, out RejectReason reason) =>
        TryParse(utf8, EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew), out transaction, out reason);

    /// <summary>Checks the rules the JSON shape alone cannot express.</summary>
    public static bool Validate(Transaction t, in EventTimeWindow window, out RejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Validate(TransactionFields.Of(t), window, out reason);
    }

    /// <summary>The rules of <see cref="Validate(Transaction, in EventTimeWindow, out RejectReason)"/>, on the fields.</summary>
    public static bool Validate(in TransactionFields t, in EventTimeWindow window, out RejectReason reason)
    {
        if (t.SchemaVersion != Transaction.CurrentSchemaVersion)
        {
            reason = new RejectReason(RejectCode.UnsupportedSchemaVersion, string.Create(CultureInfo.InvariantCulture,
                $"schema_version {t.SchemaVersion} is not supported (expected {Transaction.CurrentSchemaVersion})"));
            return false;
        }
        return t.TransactionId.Check(ContractText.TextRule.Required, "transaction_id", ContractLimits.MaxIdLength, out reason)
            && t.CardId.Check(ContractText.TextRule.Required, "card_id", ContractLimits.MaxIdLength, out reason)
            && t.MerchantId.Check(ContractText.TextRule.Present, "merchant_id", ContractLimits.MaxIdLength, out reason)
            && ContractText.Present(t.MerchantCategory, "merchant_category", ContractLimits.MaxCodeLength, out reason)
            && ContractText.Present(t.Currency, "currency", ContractLimits.MaxCodeLength, out reason)
            && ContractText.Present(t.Country, "country", ContractLimits.MaxCodeLength, out reason)
            && ContractText.Present(t.Channel, "channel", ContractLimits.MaxCodeLength, out reason)
            && t.DeviceId.Check(ContractText.TextRule.Optional, "device_id", ContractLimits.MaxTextLength, out reason)
            && t.Ip.Check(ContractText.TextRule.Optional, "ip", ContractLimits.MaxTextLength, out reason)
            && ContractText.Optional(t.EmailDomain, "email_domain", ContractLimits.MaxTextLength, out reason)
            && ContractText.Number(t.Amount, "amount", 0, ContractLimits.MaxAmount, out reason, RejectCode.InvalidAmount)
            && ContractText.Time(t.EventTime, "event_time", window, RejectCode.InvalidEventTime, out reason)
            && Attributes(t.Attributes, out reason);
    }

    /// <summary>
    /// Whether a message key is the transaction's card id (its UTF-8 bytes), compared without making a string.
    /// Transactions are keyed by card id, so each card's history lives in one partition.
    /// </summary>
    public static bool KeyIsCard(byte[]? key, string cardId)
    {
        ArgumentNullException.ThrowIfNull(cardId);
        return KeyIsCard(key, new TransactionText(cardId));
    }

    /// <summary>As <see cref="KeyIsCard(byte[], string)"/>, for a card id as the fields hold it.</summary>
    public static bool KeyIsCard(byte[]? key, in TransactionText cardId) => key is not null && cardId.Utf8Equals(key);

    /// <summary>The reason for a key that is not the card id.</summary>
    public static RejectReason KeyMismatch(byte[]? key) => new(RejectCode.KeyMismatch, key is null
        ? "the message has no key; transactions are keyed by card_id"
        : "the message key is not the transaction's card_id, so the card's state would be split across partitions");

    private static bool Attributes(Dictionary<string, JsonElement>? attributes, out RejectReason reason)
    {
        reason = default;
        if (attributes is null)
        {
            return true;
        }
        if (attributes.Count > ContractLimits.MaxAttributes)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"attributes has {attributes.Count} entries; at most {ContractLimits.MaxAttributes} are allowed"));
            return false;
        }
        foreach (var (name, value) in attributes)
        {
            if (!ContractText.Required(name, "attributes key", ContractLimits.MaxIdLength, out reason)
                || !ContractText.JsonValue(value, "attributes." + name, ContractLimits.MaxAttributeDepth, out reason))
            {
                return false;
            }
        }
        return true;
    }

    private static RejectCode CodeOfPath(string path) => path switch
    {
        "$.event_time" => RejectCode.InvalidEventTime,
        "$.amount" => RejectCode.InvalidAmount,
        "$.schema_version" => RejectCode.UnsupportedSchemaVersion,
        _ => RejectCode.InvalidField,
    };
}
