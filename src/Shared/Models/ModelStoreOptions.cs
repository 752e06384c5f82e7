using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// The <c>ModelStore</c> configuration section (env: <c>ModelStore__Kind</c>, <c>ModelStore__Bucket</c>, ...):
/// where the trainer puts artifacts. Fetching goes by the artifact URI's scheme, whatever the kind.
/// </summary>
public sealed class ModelStoreOptions
{
    public const string Section = "ModelStore";
    public const string FolderKind = "folder";
    public const string S3Kind = "s3";

    /// <summary><c>folder</c> (default) or <c>s3</c>.</summary>
    [Required]
    public string Kind { get; set; } = FolderKind;

    /// <summary>Root folder of a folder store, relative to the working directory unless absolute.</summary>
    public string Folder { get; set; } = "models";

    /// <summary>S3 endpoint for S3-compatible servers (MinIO, s3rver); empty means AWS itself, by <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Access key; when empty, <c>AWS_ACCESS_KEY_ID</c> and <c>AWS_SECRET_ACCESS_KEY</c> are used.</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Path-style URLs (<c>http://host/bucket/key</c>), which MinIO and s3rver need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The largest artifact (or merchant table) a fetch reads; larger ones are refused.</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The longest a fetch may take before it is given up.</summary>
    [Range(1, 3_600)]
    public int FetchTimeoutSeconds { get; set; } = 60;

    /// <exception cref="InvalidOperationException">a setting the chosen kind needs is missing.</exception>
    public void Validate()
    {
        if (MaxArtifactBytes < 1 || FetchTimeoutSeconds is < 1 or > 3_600)
        {
            throw new InvalidOperationException("ModelStore:MaxArtifactBytes must be positive and ModelStore:FetchTimeoutSeconds between 1 and 3600");
        }
        if (string.Equals(Kind, FolderKind, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(Folder))
            {
                throw new InvalidOperationException("ModelStore:Folder is required for a folder store");
            }
            return;
        }
        if (!string.Equals(Kind, S3Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"ModelStore:Kind must be '{FolderKind}' or '{S3Kind}', not '{Kind}'");
        }
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            throw new InvalidOperationException("ModelStore:Bucket is required for an s3 store");
        }
        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            throw new InvalidOperationException("ModelStore:AccessKey and ModelStore:SecretKey go together");
        }
    }
}
