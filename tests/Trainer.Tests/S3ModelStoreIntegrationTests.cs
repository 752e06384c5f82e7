using Fraud.Streaming.Testing;
using Amazon.S3;
using Amazon.S3.Model;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>Against an S3-compatible server named by FRAUD_S3_URL (s3rver, MinIO); any access key it accepts.</summary>
public sealed class S3ModelStoreIntegrationTests
{
    [S3Fact]
    public async Task Put_then_get_returns_the_same_bytes()
    {
        var options = new ModelStoreOptions
        {
            Kind = ModelStoreOptions.S3Kind,
            ServiceUrl = TestEnvironment.S3Url,
            Bucket = $"models-{Guid.NewGuid():N}"[..20],
            AccessKey = TestEnvironment.Get("FRAUD_S3_ACCESS_KEY") ?? "S3RVER",
            SecretKey = TestEnvironment.Get("FRAUD_S3_SECRET_KEY") ?? "S3RVER",
        };
        using (var client = new AmazonS3Client(options.AccessKey, options.SecretKey,
                   new AmazonS3Config { ServiceURL = options.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = options.Region }))
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket });
        }
        var content = new byte[300_000];
        new Random(3).NextBytes(content);

        var store = ModelStoreFactory.Create(options);
        var uri = await store.PutAsync("fraud-gbdt", "v20250101000000-abcdef", "model.onnx", content, CancellationToken.None);

        Assert.Equal($"s3://{options.Bucket}/fraud-gbdt/v20250101000000-abcdef/model.onnx", uri);
        var fetched = await new ArtifactFetcher(options).FetchAsync(uri, CancellationToken.None);
        Assert.Equal(ModelPackage.Sha256(content), ModelPackage.Sha256(fetched));
        (store as IDisposable)?.Dispose();
    }
}
