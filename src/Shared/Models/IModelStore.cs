namespace Fraud.Streaming.Shared.Models;

/// <summary>Where model artifacts live: a folder (<c>file://</c> URIs) or S3 (<c>s3://bucket/key</c>).</summary>
public interface IModelStore
{
    /// <summary>Stores the bytes and returns the URI a scorer fetches them from. Verifies the stored copy by SHA-256.</summary>
    Task<string> PutAsync(string modelName, string version, string fileName, byte[] content, CancellationToken cancellationToken);

    /// <summary>The URI <see cref="PutAsync"/> returns (or would return) for these names, without touching the store.</summary>
    string UriOf(string modelName, string version, string fileName);

    /// <summary>Fetches an artifact by the URI <see cref="PutAsync"/> returned.</summary>
    Task<byte[]> GetAsync(string uri, CancellationToken cancellationToken);
}
