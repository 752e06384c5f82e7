namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Builds the configured <see cref="IModelStore"/> for putting artifacts, and fetches artifacts by URI scheme
/// (<c>file://</c> or <c>s3://</c>), so a scorer can load whatever a manifest on <c>fraud.models</c> points at.
/// </summary>
public static class ModelStoreFactory
{
    /// <summary>The store that <see cref="ModelStoreOptions.Kind"/> names.</summary>
    /// <exception cref="InvalidOperationException">the options are incomplete.</exception>
    public static IModelStore Create(ModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return string.Equals(options.Kind, ModelStoreOptions.S3Kind, StringComparison.OrdinalIgnoreCase)
            ? new S3ModelStore(options)
            : new FolderModelStore(options.Folder);
    }

    /// <summary>
    /// Fetches an artifact by its URI. <c>s3://</c> URIs use the S3 endpoint and credentials of
    /// <paramref name="options"/> (the bucket comes from the URI).
    /// </summary>
    /// <exception cref="ModelRejectedException">the scheme is unknown or the fetch failed (code <c>fetch_failed</c>).</exception>
    public static async Task<byte[]> FetchAsync(string uri, ModelStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                var (bucket, _) = S3ModelStore.ParseUri(uri);
                using var store = new S3ModelStore(S3ModelStore.CreateClient(options), bucket);
                return await store.GetAsync(uri, cancellationToken);
            }
            if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            {
                return await new FolderModelStore(options.Folder).GetAsync(uri, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException
                                       or Amazon.Runtime.AmazonClientException or ArgumentException or HttpRequestException)
        {
            throw new ModelRejectedException(ModelRejectedException.FetchFailed, $"cannot fetch {uri}: {ex.Message}", ex);
        }
        throw new ModelRejectedException(ModelRejectedException.FetchFailed, $"cannot fetch {uri}: only file:// and s3:// artifacts are supported");
    }
}
