using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// Turns raw message bytes into a <see cref="Transaction"/> or a <see cref="RejectReason"/>.
/// Never throws for bad input: every failure has a reason code (bounded, used as a metric label)
/// and a human-readable detail (carried in the DLQ headers).
/// </summary>
public static class TransactionValidator
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Transaction? transaction, out RejectReason reason)
    {
        transaction = null;
        if (utf8.IsEmpty)
        {
            reason = new RejectReason(RejectCode.EmptyMessage, "message has no body");
            return false;
        }

        Transaction parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.Transaction)!;
        }
        catch (JsonException ex)
        {
            reason = FromJsonException(ex);
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            reason = new RejectReason(RejectCode.BadJson, ex.Message);
            return false;
        }

        if (parsed is null)
        {
            reason = new RejectReason(RejectCode.BadJson, "message is JSON null");
            return false;
        }

        return Validate(parsed, out reason) && (transaction = parsed) is not null;
    }

    /// <summary>Checks the rules the JSON shape alone cannot express.</summary>
    public static bool Validate(Transaction t, out RejectReason reason)
    {
        if (t.SchemaVersion != Transaction.CurrentSchemaVersion)
        {
            reason = new RejectReason(RejectCode.UnsupportedSchemaVersion, $"schema_version {t.SchemaVersion} is not supported (expected {Transaction.CurrentSchemaVersion})");
            return false;
        }
        if (string.IsNullOrWhiteSpace(t.TransactionId))
        {
            reason = new RejectReason(RejectCode.MissingField, "transaction_id is empty");
            return false;
        }
        if (string.IsNullOrWhiteSpace(t.CardId))
        {
            reason = new RejectReason(RejectCode.MissingField, "card_id is empty");
            return false;
        }
        if (!double.IsFinite(t.Amount) || t.Amount < 0)
        {
            reason = new RejectReason(RejectCode.InvalidAmount, $"amount {t.Amount} is negative or not finite");
            return false;
        }
        if (t.EventTime == default || t.EventTime.Year < 1970)
        {
            reason = new RejectReason(RejectCode.InvalidEventTime, "event_time is missing or before 1970");
            return false;
        }
        reason = default;
        return true;
    }

    private static RejectReason FromJsonException(JsonException ex)
    {
        var path = ex.Path ?? string.Empty;
        var message = ex.Message;
        // Missing 'required' properties surface as a JsonException without a path.
        if (message.Contains("missing required properties", StringComparison.OrdinalIgnoreCase))
        {
            return new RejectReason(RejectCode.MissingField, message);
        }
        var code = path switch
        {
            "$.event_time" => RejectCode.InvalidEventTime,
            "$.amount" => RejectCode.InvalidAmount,
            "$.schema_version" => RejectCode.UnsupportedSchemaVersion,
            "" or "$" => RejectCode.BadJson,
            _ => RejectCode.InvalidField,
        };
        return new RejectReason(code, message);
    }
}

/// <summary>Why a message was refused. <see cref="Code"/> is a small fixed set (a metric label); <see cref="Detail"/> is free text.</summary>
public readonly record struct RejectReason(RejectCode Code, string Detail)
{
    public string CodeName => Code switch
    {
        RejectCode.EmptyMessage => "empty_message",
        RejectCode.BadJson => "bad_json",
        RejectCode.MissingField => "missing_field",
        RejectCode.InvalidField => "invalid_field",
        RejectCode.InvalidAmount => "invalid_amount",
        RejectCode.InvalidEventTime => "invalid_event_time",
        RejectCode.UnsupportedSchemaVersion => "unsupported_schema_version",
        _ => "unknown",
    };
}

public enum RejectCode
{
    None,
    EmptyMessage,
    BadJson,
    MissingField,
    InvalidField,
    InvalidAmount,
    InvalidEventTime,
    UnsupportedSchemaVersion,
}
