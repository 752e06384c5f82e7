using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The <c>State</c> configuration section (env: <c>State__Directory</c>, ...): where per-partition card-state
/// snapshots go and how often. S3 endpoint and credentials come from the <c>ModelStore</c> section.
/// </summary>
internal sealed class StateOptions
{
    public const string Section = "State";

    /// <summary>Snapshots and restore on assignment; off, every assigned partition starts with empty cards.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>folder</c> (default) or <c>s3</c>.</summary>
    [Required]
    [RegularExpression("(?i)^(folder|s3)$", ErrorMessage = "State:Kind must be 'folder' or 's3'")]
    public string Kind { get; set; } = "folder";

    public bool IsS3 => string.Equals(Kind, "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>The state folder for a folder store, relative to the working directory unless absolute.</summary>
    [Required, MinLength(1)]
    public string Directory { get; set; } = "state";

    /// <summary>Bucket for an s3 store; empty means <c>ModelStore:Bucket</c>.</summary>
    public string? Bucket { get; set; }

    /// <summary>Snapshots live under <c>{Prefix}/{group}/{topic}/{partition}/</c> in the store.</summary>
    [Required, MinLength(1)]
    public string Prefix { get; set; } = "card-state";

    /// <summary>
    /// Seconds between snapshots of a partition. Restore replays at most about this much input, so the input
    /// topic's retention must be longer.
    /// </summary>
    [Range(1, 86_400)]
    public int SnapshotIntervalSeconds { get; set; } = 30;

    /// <summary>Longest a partition's restore may take before the scorer stops rather than score with wrong state.</summary>
    [Range(1, 3_600)]
    public int RestoreTimeoutSeconds { get; set; } = 240;
}
