namespace Fraud.Streaming.Testing;

/// <summary>Why a test that needs a server cannot run here, or null when it can.</summary>
public static class SkipReasons
{
    private const string NoDocker = "no Docker engine for Testcontainers";

    public static string? Kafka =>
        TestEnvironment.HasKafka || TestEnvironment.DockerAvailable
            ? null
            : $"needs Kafka: run `deploy/devstack.sh up` or set {TestEnvironment.KafkaVariable}; {NoDocker}";

    /// <summary>Tests of DevKafka itself (fixed ports, precreated topics) need it, not just any broker.</summary>
    public static string? DevKafka =>
        KafkaServer.IsMock
            ? null
            : $"needs DevKafka: run `deploy/devstack.sh up` or set {TestEnvironment.KafkaVariable} (and not FRAUD_KAFKA_REAL=1)";

    public static string? Postgres =>
        TestEnvironment.HasPostgres || TestEnvironment.DockerAvailable
            ? null
            : $"needs PostgreSQL: run `deploy/devstack.sh up` or set {TestEnvironment.PostgresVariable}; {NoDocker}";

    public static string? S3 =>
        TestEnvironment.HasS3
            ? null
            : $"needs S3: run `deploy/devstack.sh up` or set {TestEnvironment.S3UrlVariable} and {TestEnvironment.S3BucketVariable}";

    public static string? Stack => Kafka ?? Postgres;
}
