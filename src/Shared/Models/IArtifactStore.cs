namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Where artifacts live, as files under a two-level path <c>{owner}/{folder}/{file}</c>: a local folder (<c>file://</c>
/// URIs) or S3 (<c>s3://bucket/key</c>). Model packages are stored under their model name and version; the scorer's
/// card-state snapshots under their topic and partition (<c>SnapshotStore</c>).
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores the bytes and returns the URI they are fetched from. Verifies the stored copy by SHA-256.</summary>
    Task<string> PutAsync(string owner, string folder, string fileName, byte[] content, CancellationToken cancellationToken);

    /// <summary>The URI <see cref="PutAsync"/> returns (or would return) for these names, without touching the store.</summary>
    string UriOf(string owner, string folder, string fileName);

    /// <summary>Fetches an artifact by the URI <see cref="PutAsync"/> returned.</summary>
    Task<byte[]> GetAsync(string uri, CancellationToken cancellationToken);
}
