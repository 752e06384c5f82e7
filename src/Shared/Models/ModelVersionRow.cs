namespace Fraud.Streaming.Shared.Models;

/// <summary>One row of <c>model_versions</c>. A class with setters so Dapper maps it by column name.</summary>
public sealed class ModelVersionRow
{
    public const string Registered = "registered";
    public const string Champion = "champion";
    public const string Retired = "retired";

    /// <summary>Registered, not champion, and scored in shadow beside the champion (at most one per model).</summary>
    public const string Challenger = "challenger";

    public string ModelName { get; set; } = "";
    public string Version { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string ArtifactUri { get; set; } = "";
    public string ArtifactSha256 { get; set; } = "";
    public string ContentHash { get; set; } = "";
    public string FeatureSpec { get; set; } = "";
    public string FeatureHash { get; set; } = "";
    public double RocAuc { get; set; }
    public double PrAuc { get; set; }
    public string Status { get; set; } = Registered;

    /// <summary>When the version last became champion; null if it never was.</summary>
    public DateTimeOffset? PromotedAt { get; set; }

    /// <summary>When the version was last announced as champion; null while it waits to be (or was never champion).</summary>
    public DateTimeOffset? AnnouncedAt { get; set; }

    /// <summary>The manifest as stored (JSON, contract v1).</summary>
    public string Manifest { get; set; } = "";
}
