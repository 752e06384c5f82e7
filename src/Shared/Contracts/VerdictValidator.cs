using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>Parses and validates verdicts (<c>fraud.verdicts</c>): what Monitoring writes to history must fit its columns.</summary>
public static class VerdictValidator
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, in EventTimeWindow window, [NotNullWhen(true)] out Verdict? verdict, out RejectReason reason)
    {
        if (!ContractText.TryDeserialize(utf8, static b => System.Text.Json.JsonSerializer.Deserialize(b, ContractsJsonContext.Default.Verdict), CodeOfPath,
                out verdict, out reason))
        {
            return false;
        }
        if (Validate(verdict!, window, out reason))
        {
            return true;
        }
        verdict = null;
        return false;
    }

    public static bool Validate(Verdict v, in EventTimeWindow window, out RejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (!Enum.IsDefined(v.Decision))
        {
            reason = new RejectReason(RejectCode.InvalidField, "decision is not approve, review or decline");
            return false;
        }
        return ContractText.Required(v.TransactionId, "transaction_id", ContractLimits.MaxIdLength, out reason)
            && ContractText.Required(v.CardId, "card_id", ContractLimits.MaxIdLength, out reason)
            && ContractText.Required(v.ModelVersion, "model_version", ContractLimits.MaxIdLength, out reason)
            && ContractText.Number(v.Score, "score", 0, 1, out reason)
            && ContractText.Number(v.LatencyMs, "latency_ms", 0, ContractLimits.MaxLatencyMs, out reason)
            && ContractText.Time(v.EventTime, "event_time", window, RejectCode.InvalidEventTime, out reason)
            && ContractText.Time(v.ScoredAt, "scored_at", window, RejectCode.InvalidEventTime, out reason)
            && Reasons(v.Reasons, out reason);
    }

    private static bool Reasons(IReadOnlyList<Reason>? reasons, out RejectReason reason)
    {
        if (reasons is null)
        {
            reason = new RejectReason(RejectCode.MissingField, "reasons is missing");
            return false;
        }
        if (reasons.Count > ContractLimits.MaxReasons)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"reasons has {reasons.Count} entries; at most {ContractLimits.MaxReasons} are allowed"));
            return false;
        }
        for (var i = 0; i < reasons.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"reasons[{i}]");
            if (reasons[i] is not { } r)
            {
                reason = new RejectReason(RejectCode.InvalidField, $"{field} is null");
                return false;
            }
            if (!ContractText.Required(r.Feature, field + ".feature", ContractLimits.MaxIdLength, out reason)
                || !ContractText.Number(r.Value, field + ".value", float.MinValue, float.MaxValue, out reason)
                || !ContractText.Number(r.Contribution, field + ".contribution", float.MinValue, float.MaxValue, out reason))
            {
                return false;
            }
        }
        reason = default;
        return true;
    }

    private static RejectCode CodeOfPath(string path) => path is "$.event_time" or "$.scored_at" ? RejectCode.InvalidEventTime : RejectCode.InvalidField;
}
