using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Parses verdicts and labels into contracts or a bounded reason code (a metric label). Transactions go through the
/// shared <see cref="TransactionValidator"/> so monitoring refuses exactly what the scorer refuses.
/// </summary>
internal static class HistoryMessageParser
{
    public static bool TryParseTransaction(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Transaction? transaction, out string reason, out string detail)
    {
        if (TransactionValidator.TryParse(utf8, out transaction, out var rejected))
        {
            reason = detail = string.Empty;
            return true;
        }
        reason = rejected.CodeName;
        detail = rejected.Detail;
        return false;
    }

    public static bool TryParseVerdict(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Verdict? verdict, out string reason, out string detail)
    {
        verdict = null;
        if (!TryDeserialize(utf8, static b => ContractJson.DeserializeVerdict(b), out var parsed, out reason, out detail))
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(parsed.TransactionId) || string.IsNullOrWhiteSpace(parsed.CardId) || string.IsNullOrWhiteSpace(parsed.ModelVersion))
        {
            (reason, detail) = ("missing_field", "transaction_id, card_id and model_version must not be empty");
            return false;
        }
        if (!Enum.IsDefined(parsed.Decision))
        {
            (reason, detail) = ("invalid_field", "decision is not approve, review or decline");
            return false;
        }
        verdict = parsed;
        return true;
    }

    public static bool TryParseLabel(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Label? label, out string reason, out string detail)
    {
        label = null;
        if (!TryDeserialize(utf8, static b => ContractJson.DeserializeLabel(b), out var parsed, out reason, out detail))
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(parsed.TransactionId) || string.IsNullOrWhiteSpace(parsed.CardId) || string.IsNullOrWhiteSpace(parsed.Source))
        {
            (reason, detail) = ("missing_field", "transaction_id, card_id and source must not be empty");
            return false;
        }
        label = parsed;
        return true;
    }

    private delegate T Deserializer<out T>(ReadOnlySpan<byte> utf8);

    private static bool TryDeserialize<T>(ReadOnlySpan<byte> utf8, Deserializer<T> deserialize, [NotNullWhen(true)] out T? value, out string reason, out string detail)
        where T : class
    {
        value = null;
        if (utf8.IsEmpty)
        {
            (reason, detail) = ("empty_message", "message has no body");
            return false;
        }
        try
        {
            value = deserialize(utf8);
            reason = detail = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            reason = ex.Message.Contains("missing required properties", StringComparison.OrdinalIgnoreCase) ? "missing_field"
                : ex.Path is null or "" or "$" ? "bad_json"
                : "invalid_field";
            detail = ex.Message;
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            (reason, detail) = ("bad_json", ex.Message);
            return false;
        }
    }
}
