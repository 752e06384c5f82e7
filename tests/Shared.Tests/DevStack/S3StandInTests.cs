using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests.DevStack;

public sealed class S3StandInTests
{
    [S3Fact]
    public async Task Stores_and_returns_an_object_byte_for_byte_in_the_models_bucket()
    {
        using var s3 = new AmazonS3Client(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey, new AmazonS3Config
        {
            ServiceURL = TestEnvironment.S3Url,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });
        var key = $"tests/{Guid.NewGuid():N}.bin";
        var payload = RandomNumberGenerator.GetBytes(300_000);

        // s3rver stores the SDK's default aws-chunked uploads corrupted; plain uploads round-trip.
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = TestEnvironment.S3Bucket,
            Key = key,
            InputStream = new MemoryStream(payload),
            UseChunkEncoding = false,
        });
        using var response = await s3.GetObjectAsync(TestEnvironment.S3Bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        await s3.DeleteObjectAsync(TestEnvironment.S3Bucket, key);

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(copy.ToArray()));
    }
}
