using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// A transaction's contract fields held by value, without the <see cref="Transaction"/> record: what a hot path keeps
/// per transaction (the scorer's batch rows), so reading, validating and scoring one makes no object for it. The
/// identifiers (id, card, merchant, device, address), which a stream of many cards rarely repeats, are
/// <see cref="TransactionText"/>s: the message's own bytes where <see cref="TransactionReader"/> read a whole message
/// and found them plain ASCII. The codes (category, currency, country, channel, e-mail domain), a few hundred values
/// at most, are the shared strings of the reader's cache. Where a record was made or given (attributes, the
/// serializer's path, files), it comes along: <see cref="ToRecord"/> returns it, and its attributes are
/// <see cref="Attributes"/>.
/// </summary>
public struct TransactionFields
{
    public int SchemaVersion { readonly get; internal set; }
    public TransactionText TransactionId { readonly get; internal set; }
    public DateTimeOffset EventTime { readonly get; internal set; }
    public TransactionText CardId { readonly get; internal set; }
    public TransactionText MerchantId { readonly get; internal set; }
    public string MerchantCategory { readonly get; internal set; }
    public double Amount { readonly get; internal set; }
    public string Currency { readonly get; internal set; }
    public string Country { readonly get; internal set; }
    public string Channel { readonly get; internal set; }
    public TransactionText DeviceId { readonly get; internal set; }
    public TransactionText Ip { readonly get; internal set; }
    public string? EmailDomain { readonly get; internal set; }

    /// <summary>The record these fields were taken from, or that was read instead of them; null where none was made.</summary>
    public Transaction? Record { readonly get; private set; }

    /// <summary>The record's attributes; null when there are none (the hand reader reads only transactions without them).</summary>
    public readonly Dictionary<string, JsonElement>? Attributes => Record?.Attributes;

    /// <summary>The fields of <paramref name="t"/>, which they keep as <see cref="Record"/>.</summary>
    public static TransactionFields Of(Transaction t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new TransactionFields
        {
            SchemaVersion = t.SchemaVersion,
            TransactionId = t.TransactionId,
            EventTime = t.EventTime,
            CardId = t.CardId,
            MerchantId = t.MerchantId,
            MerchantCategory = t.MerchantCategory,
            Amount = t.Amount,
            Currency = t.Currency,
            Country = t.Country,
            Channel = t.Channel,
            DeviceId = t.DeviceId,
            Ip = t.Ip,
            EmailDomain = t.EmailDomain,
            Record = t,
        };
    }

    /// <summary>The record: the one these fields came with, or a new one (with the identifiers made strings).</summary>
    public readonly Transaction ToRecord() => Record ?? new Transaction
    {
        SchemaVersion = SchemaVersion,
        TransactionId = TransactionId.Text!,
        EventTime = EventTime,
        CardId = CardId.Text!,
        MerchantId = MerchantId.Text!,
        MerchantCategory = MerchantCategory,
        Amount = Amount,
        Currency = Currency,
        Country = Country,
        Channel = Channel,
        DeviceId = DeviceId.Text,
        Ip = Ip.Text,
        EmailDomain = EmailDomain,
    };
}
