namespace Fraud.Streaming.Shared.Models;

/// <summary>A model that must not serve. <see cref="Code"/> is a small fixed set (a metric label).</summary>
public sealed class ModelRejectedException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string ShaMismatch = "sha_mismatch";
    public const string FeatureSpecMismatch = "feature_spec_mismatch";
    public const string InvalidThresholds = "invalid_thresholds";
    public const string InvalidModel = "invalid_model";
    public const string FetchFailed = "fetch_failed";
    public const string BadManifest = "bad_manifest";

    public string Code { get; } = code;
}
