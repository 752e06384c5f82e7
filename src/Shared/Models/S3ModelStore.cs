using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// A model store in an S3 bucket (AWS, MinIO, s3rver): <c>s3://{bucket}/{owner}/{folder}/{file}</c> (a model: its name and version).
/// Every put is read back and compared by SHA-256 before its URI is handed out.
/// </summary>
public sealed class S3ModelStore : IArtifactStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;

    public S3ModelStore(ModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket is { Length: > 0 } bucket ? bucket : throw new ArgumentException("a bucket is required", nameof(options));
        _client = CreateClient(options);
    }

    /// <summary>A store over an existing client, which it takes ownership of.</summary>
    public S3ModelStore(IAmazonS3 client, string bucket)
    {
        _client = client;
        _bucket = bucket;
    }

    internal static IAmazonS3 CreateClient(ModelStoreOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        var accessKey = options.AccessKey is { Length: > 0 } ? options.AccessKey : Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secretKey = options.SecretKey is { Length: > 0 } ? options.SecretKey : Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        return accessKey is { Length: > 0 } && secretKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config)
            : new AmazonS3Client(config);
    }

    public string Bucket => _bucket;

    public async Task<string> PutAsync(string owner, string folder, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var key = KeyOf(owner, folder, fileName);
        var expected = ModelPackage.Sha256(content);
        using (var body = new MemoryStream(content, writable: false))
        {
            // aws-chunked uploads are stored corrupted by some S3 stand-ins (s3rver) without any error.
            var request = new PutObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                InputStream = body,
                ContentType = "application/octet-stream",
                UseChunkEncoding = false,
            };
            request.Metadata.Add("sha256", expected);
            await _client.PutObjectAsync(request, cancellationToken);
        }

        var uri = $"s3://{_bucket}/{key}";
        var stored = await GetAsync(uri, cancellationToken);
        var actual = ModelPackage.Sha256(stored);
        if (actual != expected)
        {
            throw new IOException($"{uri}: stored copy has SHA-256 {actual}, {expected} was written ({stored.Length} of {content.Length} bytes)");
        }
        return uri;
    }

    public string UriOf(string owner, string folder, string fileName) => $"s3://{_bucket}/{KeyOf(owner, folder, fileName)}";

    private static string KeyOf(string owner, string folder, string fileName) => $"{owner}/{folder}/{fileName}";

    public async Task<byte[]> GetAsync(string uri, CancellationToken cancellationToken)
    {
        var (bucket, key) = ParseUri(uri);
        try
        {
            using var response = await _client.GetObjectAsync(bucket, key, cancellationToken);
            using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{uri} does not exist", uri, ex);
        }
    }

    /// <exception cref="ArgumentException">not an <c>s3://bucket/key</c> URI.</exception>
    public static (string Bucket, string Key) ParseUri(string uri)
    {
        const string scheme = "s3://";
        if (!uri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{uri}' is not an s3:// URI", nameof(uri));
        }
        var rest = uri[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new ArgumentException($"'{uri}' has no bucket or no key", nameof(uri));
        }
        return (rest[..slash], rest[(slash + 1)..]);
    }

    public void Dispose() => _client.Dispose();
}
