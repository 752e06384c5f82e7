using System.Globalization;
using System.Net;
using Amazon.S3;
using Fraud.Streaming.Shared.Files;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Fetches a model artifact (or merchant table) by the URI a manifest names, from the configured store only: a
/// <c>file://</c> URI must resolve (symbolic links followed) to a regular file inside <see cref="ModelStoreOptions.Folder"/>,
/// an <c>s3://</c> URI must name <see cref="ModelStoreOptions.Bucket"/>. Every fetch is bounded in size
/// (<see cref="ModelStoreOptions.MaxArtifactBytes"/>) and time (<see cref="ModelStoreOptions.FetchTimeoutSeconds"/>). A
/// refusal never says anything about the content of a file it refused (no digest, no size of a file outside the store).
/// </summary>
public sealed class ArtifactFetcher(ModelStoreOptions options)
{
    public const string OutsideStore = "outside_store";
    public const string NotAFile = "not_a_file";
    public const string TooLarge = "too_large";
    public const string TimedOut = "fetch_timeout";

    /// <exception cref="ModelRejectedException">refused or failed; <see cref="ModelRejectedException.Code"/> says which.</exception>
    public async Task<byte[]> FetchAsync(string uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.FetchTimeoutSeconds));
        try
        {
            if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            {
                var path = LocalPath(uri);
                // Opening a FIFO or a device can block for ever in open(2) itself: the read runs off the caller's thread,
                // so the timeout frees the caller even then.
                return await Task.Run(() => ReadFile(uri, path), CancellationToken.None).WaitAsync(timeout.Token);
            }
            if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                return await ReadS3Async(uri, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelRejectedException(TimedOut, string.Create(CultureInfo.InvariantCulture,
                $"fetching {uri} took longer than {options.FetchTimeoutSeconds} s (ModelStore:FetchTimeoutSeconds)"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException
                                       or Amazon.Runtime.AmazonClientException or ArgumentException or HttpRequestException or UriFormatException)
        {
            throw new ModelRejectedException(ModelRejectedException.FetchFailed, $"cannot fetch {uri}: {ex.Message}", ex);
        }
        throw new ModelRejectedException(ModelRejectedException.FetchFailed, $"cannot fetch {uri}: only file:// and s3:// artifacts are supported");
    }

    /// <summary>Fetches the manifest's artifact and checks its SHA-256.</summary>
    /// <exception cref="ModelRejectedException">it is missing, refused, or not the manifest's.</exception>
    public async Task VerifyAsync(Contracts.ModelManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var artifact = await FetchAsync(manifest.ArtifactUri, cancellationToken);
        if (!string.Equals(ModelPackage.Sha256(artifact), manifest.ArtifactSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelRejectedException(ModelRejectedException.ShaMismatch, $"model {manifest.Version}: the stored artifact's SHA-256 does not match the manifest's");
        }
    }

    private string LocalPath(string uri)
    {
        var parsed = new Uri(uri);
        if (!parsed.IsFile || !(parsed.Host.Length == 0 || parsed.IsLoopback))
        {
            throw new ModelRejectedException(OutsideStore, $"{uri} is not a local file URI");
        }
        var root = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(root) || !RealPath.IsInside(parsed.LocalPath, root))
        {
            throw new ModelRejectedException(OutsideStore, $"{uri} is not inside the model store {root} (ModelStore:Folder)");
        }
        return RealPath.Of(parsed.LocalPath);
    }

    private byte[] ReadFile(string uri, string path)
    {
        if (Directory.Exists(path))
        {
            throw new ModelRejectedException(NotAFile, $"{uri} is a folder");
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{uri} does not exist", path);
        }
        // FIFOs, devices and sockets all report a length of 0 (a model is never empty): refused before being opened.
        if (info.Length == 0)
        {
            throw new ModelRejectedException(NotAFile, $"{uri} is empty or not a regular file");
        }
        if (info.Length > options.MaxArtifactBytes)
        {
            throw new ModelRejectedException(TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"{uri} is larger than {options.MaxArtifactBytes} bytes (ModelStore:MaxArtifactBytes)"));
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (!stream.CanSeek)
        {
            throw new ModelRejectedException(NotAFile, $"{uri} is not a regular file");
        }
        return ReadBounded(uri, stream);
    }

    private async Task<byte[]> ReadS3Async(string uri, CancellationToken cancellationToken)
    {
        var (bucket, _) = S3ModelStore.ParseUri(uri);
        if (string.IsNullOrWhiteSpace(options.Bucket) || !string.Equals(bucket, options.Bucket, StringComparison.Ordinal))
        {
            throw new ModelRejectedException(OutsideStore, $"{uri} is not in the model store's bucket (ModelStore:Bucket)");
        }
        var (bucketName, key) = S3ModelStore.ParseUri(uri);
        try
        {
            using var client = S3ModelStore.CreateClient(options);
            using var response = await client.GetObjectAsync(bucketName, key, cancellationToken);
            if (response.ContentLength > options.MaxArtifactBytes)
            {
                throw new ModelRejectedException(TooLarge, string.Create(CultureInfo.InvariantCulture,
                    $"{uri} is larger than {options.MaxArtifactBytes} bytes (ModelStore:MaxArtifactBytes)"));
            }
            using var body = response.ResponseStream;
            return await Task.Run(() => ReadBounded(uri, body), cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{uri} does not exist", uri, ex);
        }
    }

    /// <summary>Reads at most the size limit; one byte more means the source grew past it.</summary>
    private byte[] ReadBounded(string uri, Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += read;
            if (total > options.MaxArtifactBytes)
            {
                throw new ModelRejectedException(TooLarge, string.Create(CultureInfo.InvariantCulture,
                    $"{uri} is larger than {options.MaxArtifactBytes} bytes (ModelStore:MaxArtifactBytes)"));
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
