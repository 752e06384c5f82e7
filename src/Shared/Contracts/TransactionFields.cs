using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// A transaction's contract fields held by value, without the <see cref="Transaction"/> record: what a hot path keeps
/// per transaction (the scorer's batch rows), so reading, validating and scoring one makes no object for it. The
/// recurring texts are the shared strings <see cref="TransactionReader"/> takes from its caches. The id, the one text
/// that never recurs, is kept as the bytes it was written with in the consumed message when it was plain ASCII there
/// (<see cref="TransactionReader"/> reading a whole message), and as a string otherwise; <see cref="TransactionIdText"/>
/// makes the string when one is needed (a log line, a dead letter, a record). Where a record was made or given
/// (attributes, the serializer's path, files), it comes along: <see cref="ToRecord"/> returns it, and its attributes are
/// <see cref="Attributes"/>.
/// </summary>
/// <remarks>
/// An id kept as bytes keeps the message's value array alive as long as the fields are: a batch row lives only until its
/// verdict is written.
/// </remarks>
public struct TransactionFields
{
    private string? _transactionId;
    private byte[]? _idOwner;
    private int _idStart;
    private int _idLength;

    public int SchemaVersion { readonly get; internal set; }
    public DateTimeOffset EventTime { readonly get; internal set; }
    public string CardId { readonly get; internal set; }
    public string MerchantId { readonly get; internal set; }
    public string MerchantCategory { readonly get; internal set; }
    public double Amount { readonly get; internal set; }
    public string Currency { readonly get; internal set; }
    public string Country { readonly get; internal set; }
    public string Channel { readonly get; internal set; }
    public string? DeviceId { readonly get; internal set; }
    public string? Ip { readonly get; internal set; }
    public string? EmailDomain { readonly get; internal set; }

    /// <summary>The record these fields were taken from, or that was read instead of them; null where none was made.</summary>
    public Transaction? Record { readonly get; private set; }

    /// <summary>The record's attributes; null when there are none (the hand reader reads only transactions without them).</summary>
    public readonly Dictionary<string, JsonElement>? Attributes => Record?.Attributes;

    /// <summary>Whether the id is held as the ASCII bytes of the message it was read from (<see cref="TransactionIdAscii"/>).</summary>
    public readonly bool IdIsAscii => _idOwner is not null;

    /// <summary>The id's ASCII bytes when <see cref="IdIsAscii"/>; empty otherwise.</summary>
    public readonly ReadOnlySpan<byte> TransactionIdAscii => _idOwner.AsSpan(_idStart, _idLength);

    /// <summary>Whether there is an id at all (a record read by the serializer may lack one; the validator refuses it).</summary>
    public readonly bool HasTransactionId => _idOwner is not null || _transactionId is not null;

    /// <summary>The id as a string: the one held, or a new one made from its bytes; empty when there is none (<see cref="HasTransactionId"/>).</summary>
    public readonly string TransactionIdText => _idOwner is not null ? Encoding.ASCII.GetString(TransactionIdAscii) : _transactionId ?? string.Empty;

    /// <summary>The id's key (<see cref="StableHash.Of64(string?)"/>), from its bytes where it is held so: both give the same bits for ASCII.</summary>
    public readonly ulong TransactionIdKey => _idOwner is not null ? StableHash.Of64Ascii(TransactionIdAscii) : StableHash.Of64(_transactionId);

    /// <summary>The id as a string, where the reader had to make one.</summary>
    internal void SetTransactionId(string? id)
    {
        _transactionId = id;
        _idOwner = null;
    }

    /// <summary>The id as <paramref name="length"/> ASCII bytes of <paramref name="owner"/> from <paramref name="start"/>.</summary>
    internal void SetTransactionId(byte[] owner, int start, int length)
    {
        _transactionId = null;
        _idOwner = owner;
        _idStart = start;
        _idLength = length;
    }

    /// <summary>Writes the id as a JSON string property: the same bytes from the ASCII slice as from the string.</summary>
    public readonly void WriteTransactionId(Utf8JsonWriter writer, JsonEncodedText name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_idOwner is not null)
        {
            writer.WriteString(name, TransactionIdAscii);
        }
        else
        {
            writer.WriteString(name, _transactionId);
        }
    }

    /// <summary>The fields of <paramref name="t"/>, which they keep as <see cref="Record"/>.</summary>
    public static TransactionFields Of(Transaction t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var fields = new TransactionFields
        {
            SchemaVersion = t.SchemaVersion,
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
        fields.SetTransactionId(t.TransactionId);
        return fields;
    }

    /// <summary>The record: the one these fields came with, or a new one (with the id made a string).</summary>
    public readonly Transaction ToRecord() => Record ?? new Transaction
    {
        SchemaVersion = SchemaVersion,
        TransactionId = TransactionIdText,
        EventTime = EventTime,
        CardId = CardId,
        MerchantId = MerchantId,
        MerchantCategory = MerchantCategory,
        Amount = Amount,
        Currency = Currency,
        Country = Country,
        Channel = Channel,
        DeviceId = DeviceId,
        Ip = Ip,
        EmailDomain = EmailDomain,
    };
}
