using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Aggregator;

/// <summary>Reads a label message into a contract or a bounded reason code (a metric label) and a detail.</summary>
internal static class LabelMessage
{
    public static bool TryParse(byte[]? value, [NotNullWhen(true)] out Label? label, out string reason, out string detail)
    {
        label = null;
        if (value is null || value.Length == 0)
        {
            (reason, detail) = ("empty_message", "message has no body");
            return false;
        }
        try
        {
            var parsed = ContractJson.DeserializeLabel(value);
            if (string.IsNullOrWhiteSpace(parsed.TransactionId) || string.IsNullOrWhiteSpace(parsed.CardId))
            {
                (reason, detail) = ("missing_field", "transaction_id and card_id must not be empty");
                return false;
            }
            if (parsed.LabelledAt.Year < 1970)
            {
                (reason, detail) = ("invalid_labelled_at", $"labelled_at {parsed.LabelledAt:O} is before 1970");
                return false;
            }
            label = parsed;
            (reason, detail) = (string.Empty, string.Empty);
            return true;
        }
        catch (JsonException ex)
        {
            (reason, detail) = (ex.Path is null or "" or "$" ? "bad_json" : "invalid_field", ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            (reason, detail) = ("bad_json", ex.Message);
            return false;
        }
    }
}
