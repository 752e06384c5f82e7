using System.Diagnostics.CodeAnalysis;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>Parses and validates labels (<c>fraud.labels</c>, label files): the same text and time rules as transactions.</summary>
public static class LabelValidator
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, in EventTimeWindow window, [NotNullWhen(true)] out Label? label, out RejectReason reason)
    {
        if (!ContractText.TryDeserialize(utf8, static b => System.Text.Json.JsonSerializer.Deserialize(b, ContractsJsonContext.Default.Label), CodeOfPath,
                out label, out reason))
        {
            return false;
        }
        if (Validate(label!, window, out reason))
        {
            return true;
        }
        label = null;
        return false;
    }

    public static bool Validate(Label l, in EventTimeWindow window, out RejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(l);
        return ContractText.Required(l.TransactionId, "transaction_id", ContractLimits.MaxIdLength, out reason)
            && ContractText.Required(l.CardId, "card_id", ContractLimits.MaxIdLength, out reason)
            && ContractText.Required(l.Source, "source", ContractLimits.MaxCodeLength, out reason)
            && ContractText.Optional(l.Scenario, "scenario", ContractLimits.MaxCodeLength, out reason)
            && ContractText.Time(l.LabelledAt, "labelled_at", window, RejectCode.InvalidEventTime, out reason);
    }

    private static RejectCode CodeOfPath(string path) => path == "$.labelled_at" ? RejectCode.InvalidEventTime : RejectCode.InvalidField;
}
