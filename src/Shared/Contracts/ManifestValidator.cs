using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// Parses and validates model manifests (announcements on <c>fraud.models</c>, <c>manifest.json</c> in a package, rows
/// of the registry): every field a scorer reads is checked before any of it is used, so a manifest with a null part,
/// a number that is not one, or names that do not fit its feature spec is refused with a reason.
/// </summary>
/// <remarks>
/// The contract cannot tell a good model from a harmful one (thresholds of 0 are well-formed); whether to trust a
/// well-formed announcement is the signature's business (<c>AnnouncementSignature</c>).
/// </remarks>
public static class ManifestValidator
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, in EventTimeWindow window, [NotNullWhen(true)] out ModelManifest? manifest, out RejectReason reason)
    {
        if (!ContractText.TryDeserialize(utf8, static b => System.Text.Json.JsonSerializer.Deserialize(b, ContractsJsonContext.Default.ModelManifest), null,
                out manifest, out reason))
        {
            return false;
        }
        if (Validate(manifest!, window, out reason))
        {
            return true;
        }
        manifest = null;
        return false;
    }

    public static bool Validate(ModelManifest m, in EventTimeWindow window, out RejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(m);
        return Name(m.ModelName, "model_name", out reason)
            && Name(m.Version, "version", out reason)
            && ContractText.Time(m.CreatedAt, "created_at", window, RejectCode.InvalidField, out reason)
            && Uri(m.ArtifactUri, "artifact_uri", out reason)
            && Sha256(m.ArtifactSha256, "artifact_sha256", out reason)
            && FeatureSpec(m.FeatureSpec, out reason)
            && Thresholds(m.Thresholds, out reason)
            && Training(m.Training, window, out reason)
            && ContractText.Required(m.Algorithm, "algorithm", ContractLimits.MaxTextLength, out reason)
            && ContractText.Required(m.Device, "device", ContractLimits.MaxTextLength, out reason)
            && ContractText.Required(m.CodeVersion, "code_version", ContractLimits.MaxTextLength, out reason)
            && Parameters(m.Parameters, out reason)
            && Metrics(m.Metrics, out reason)
            && Reference(m.Reference, m.FeatureSpec.Features, out reason);
    }

    /// <summary>Model names and versions name folders and keys in the store: letters, digits, '.', '_' and '-' only.</summary>
    public static bool IsName(string? value) =>
        value is { Length: > 0 and <= ContractLimits.MaxIdLength } && value != "." && value != ".."
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool Name(string? value, string field, out RejectReason reason)
    {
        if (!ContractText.Required(value, field, ContractLimits.MaxIdLength, out reason))
        {
            return false;
        }
        if (!IsName(value))
        {
            reason = new RejectReason(RejectCode.InvalidField, $"{field} may hold only letters, digits, '.', '_' and '-'");
            return false;
        }
        return true;
    }

    private static bool Uri(string? value, string field, out RejectReason reason)
    {
        if (!ContractText.Required(value, field, ContractLimits.MaxUriLength, out reason))
        {
            return false;
        }
        if (!value!.StartsWith("file://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            reason = new RejectReason(RejectCode.InvalidField, $"{field} is neither a file:// nor an s3:// URI");
            return false;
        }
        return true;
    }

    private static bool Sha256(string? value, string field, out RejectReason reason)
    {
        if (value is not { Length: 64 } || !value.All(char.IsAsciiHexDigit))
        {
            reason = new RejectReason(RejectCode.InvalidField, $"{field} is not 64 hexadecimal digits");
            return false;
        }
        reason = default;
        return true;
    }

    private static bool FeatureSpec(FeatureSpecInfo? spec, out RejectReason reason)
    {
        if (spec is null)
        {
            reason = new RejectReason(RejectCode.MissingField, "feature_spec is missing");
            return false;
        }
        if (!ContractText.Required(spec.Name, "feature_spec.name", ContractLimits.MaxIdLength, out reason)
            || !ContractText.Required(spec.Hash, "feature_spec.hash", ContractLimits.MaxIdLength, out reason))
        {
            return false;
        }
        if (spec.Features is not { Count: > 0 and <= ContractLimits.MaxFeatures } features)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"feature_spec.features must hold 1 to {ContractLimits.MaxFeatures} names"));
            return false;
        }
        for (var i = 0; i < features.Count; i++)
        {
            if (!ContractText.Required(features[i], string.Create(CultureInfo.InvariantCulture, $"feature_spec.features[{i}]"), ContractLimits.MaxIdLength, out reason))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Thresholds(Thresholds? thresholds, out RejectReason reason)
    {
        if (thresholds is null)
        {
            reason = new RejectReason(RejectCode.MissingField, "thresholds is missing");
            return false;
        }
        if (!ContractText.Number(thresholds.Review, "thresholds.review", 0, 1, out reason)
            || !ContractText.Number(thresholds.Decline, "thresholds.decline", 0, 1, out reason))
        {
            return false;
        }
        if (thresholds.Review > thresholds.Decline)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"thresholds.review {thresholds.Review} is above thresholds.decline {thresholds.Decline}"));
            return false;
        }
        return true;
    }

    private static bool Training(TrainingLineage? training, in EventTimeWindow window, out RejectReason reason)
    {
        if (training is null)
        {
            reason = new RejectReason(RejectCode.MissingField, "training is missing");
            return false;
        }
        if (!ContractText.Time(training.WindowStart, "training.window_start", window, RejectCode.InvalidField, out reason)
            || !ContractText.Time(training.WindowEnd, "training.window_end", window, RejectCode.InvalidField, out reason)
            || !ContractText.Required(training.ContentHash, "training.content_hash", ContractLimits.MaxTextLength, out reason))
        {
            return false;
        }
        if (training.WindowStart > training.WindowEnd || training.RowCount < 0 || training.FraudCount < 0
            || training.FraudCount > training.RowCount || training.HoldoutRowCount < 0 || training.UnmaturedRowCount < 0)
        {
            reason = new RejectReason(RejectCode.InvalidField,
                "training: the window must not end before it starts, and row counts must be non-negative with fraud_count <= row_count");
            return false;
        }
        if (training.LabelMaturityDays is < 1 or > 3_650)
        {
            reason = new RejectReason(RejectCode.InvalidField, "training.label_maturity_days must be between 1 and 3650");
            return false;
        }
        return training.AsOf is not { } asOf || ContractText.Time(asOf, "training.as_of", window, RejectCode.InvalidField, out reason);
    }

    private static bool Parameters(IReadOnlyDictionary<string, string>? parameters, out RejectReason reason)
    {
        if (parameters is null)
        {
            reason = new RejectReason(RejectCode.MissingField, "parameters is missing");
            return false;
        }
        if (parameters.Count > ContractLimits.MaxParameters)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"parameters has {parameters.Count} entries; at most {ContractLimits.MaxParameters} are allowed"));
            return false;
        }
        foreach (var (key, value) in parameters)
        {
            if (!ContractText.Required(key, "parameters key", ContractLimits.MaxIdLength, out reason))
            {
                return false;
            }
            if (value is null)
            {
                reason = new RejectReason(RejectCode.InvalidField, $"parameters.{key} is null");
                return false;
            }
            if (!ContractText.Optional(value, "parameters." + key, ContractLimits.MaxParameterValueLength, out reason))
            {
                return false;
            }
        }
        reason = default;
        return true;
    }

    private static bool Metrics(ModelMetrics? metrics, out RejectReason reason)
    {
        if (metrics is null)
        {
            reason = new RejectReason(RejectCode.MissingField, "metrics is missing");
            return false;
        }
        return ContractText.Number(metrics.RocAuc, "metrics.roc_auc", 0, 1, out reason)
            && ContractText.Number(metrics.PrAuc, "metrics.pr_auc", 0, 1, out reason)
            && ContractText.Number(metrics.RecallAt1PctFpr, "metrics.recall_at_1pct_fpr", 0, 1, out reason);
    }

    private static bool Reference(IReadOnlyList<FeatureReference>? reference, IReadOnlyList<string> features, out RejectReason reason)
    {
        if (reference is null || reference.Count != features.Count)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"reference must hold one entry per feature ({features.Count}), not {reference?.Count ?? 0}"));
            return false;
        }
        for (var i = 0; i < reference.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"reference[{i}]");
            if (reference[i] is not { } r)
            {
                reason = new RejectReason(RejectCode.InvalidField, $"{field} is null");
                return false;
            }
            if (r.Feature != features[i])
            {
                reason = new RejectReason(RejectCode.InvalidField, $"{field} describes '{r.Feature}', not feature_spec.features[{i}] '{features[i]}'");
                return false;
            }
            if (!ContractText.Number(r.Mean, field + ".mean", float.MinValue, float.MaxValue, out reason)
                || !ContractText.Number(r.StdDev, field + ".std_dev", 0, float.MaxValue, out reason)
                || !ContractText.Number(r.Min, field + ".min", float.MinValue, float.MaxValue, out reason)
                || !ContractText.Number(r.Max, field + ".max", r.Min, float.MaxValue, out reason))
            {
                return false;
            }
        }
        reason = default;
        return true;
    }
}
