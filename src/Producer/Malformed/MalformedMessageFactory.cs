using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Malformed;

/// <summary>
/// Builds bad transaction messages from a valid template, varying one thing per <see cref="MalformedKind"/>.
/// The bodies are written by hand because the contract serializer cannot express most of these faults.
/// </summary>
internal static class MalformedMessageFactory
{
    public static readonly MalformedKind[] AllKinds = Enum.GetValues<MalformedKind>();

    /// <summary>The reject code the validator is expected to give each kind.</summary>
    public static RejectCode ExpectedCode(MalformedKind kind) => kind switch
    {
        MalformedKind.BadJson => RejectCode.BadJson,
        MalformedKind.MissingTransactionId => RejectCode.MissingField,
        MalformedKind.NegativeAmount or MalformedKind.HugeAmount or MalformedKind.NaNAmount => RejectCode.InvalidAmount,
        MalformedKind.UnparseableEventTime => RejectCode.InvalidEventTime,
        MalformedKind.UnsupportedSchemaVersion => RejectCode.UnsupportedSchemaVersion,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string NameOf(MalformedKind kind) => kind switch
    {
        MalformedKind.BadJson => "bad_json",
        MalformedKind.MissingTransactionId => "missing_transaction_id",
        MalformedKind.NegativeAmount => "negative_amount",
        MalformedKind.HugeAmount => "huge_amount",
        MalformedKind.NaNAmount => "nan_amount",
        MalformedKind.UnparseableEventTime => "unparseable_event_time",
        MalformedKind.UnsupportedSchemaVersion => "unsupported_schema_version",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The <paramref name="sequence"/>-th malformed message of a run; kinds rotate so every kind appears.</summary>
    public static MalformedMessage Create(long sequence, int seed, Transaction template)
    {
        var kind = AllKinds[sequence % AllKinds.Length];
        var id = string.Create(CultureInfo.InvariantCulture, $"mal-{seed}-{sequence:D6}");
        return new MalformedMessage(id, kind, template.CardId, Body(kind, id, template));
    }

    private static byte[] Body(MalformedKind kind, string id, Transaction t)
    {
        if (kind == MalformedKind.BadJson)
        {
            return Encoding.UTF8.GetBytes($"not json: {id} {{\"amount\": 1");
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", kind == MalformedKind.UnsupportedSchemaVersion ? 99 : Transaction.CurrentSchemaVersion);
            if (kind != MalformedKind.MissingTransactionId)
            {
                w.WriteString("transaction_id", id);
            }
            if (kind == MalformedKind.UnparseableEventTime)
            {
                w.WriteString("event_time", "yesterday around noon");
            }
            else
            {
                w.WriteString("event_time", t.EventTime);
            }
            w.WriteString("card_id", t.CardId);
            w.WriteString("merchant_id", t.MerchantId);
            w.WriteString("merchant_category", t.MerchantCategory);
            switch (kind)
            {
                case MalformedKind.NegativeAmount:
                    w.WriteNumber("amount", -Math.Abs(t.Amount) - 1);
                    break;
                case MalformedKind.HugeAmount:
                    // Beyond double's range: a number no parser can hold.
                    w.WritePropertyName("amount");
                    w.WriteRawValue("1e400", skipInputValidation: true);
                    break;
                case MalformedKind.NaNAmount:
                    w.WriteString("amount", "NaN");
                    break;
                default:
                    w.WriteNumber("amount", t.Amount);
                    break;
            }
            w.WriteString("currency", t.Currency);
            w.WriteString("country", t.Country);
            w.WriteString("channel", t.Channel);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
