using Testcontainers.Kafka;

namespace Fraud.Streaming.Testing;

/// <summary>
/// The Kafka bootstrap servers tests use: <c>FRAUD_KAFKA_BOOTSTRAP</c> (or the dev stack's env file) when set,
/// otherwise one real Kafka container per test run, started on first use when a Docker engine exists.
/// </summary>
public static class KafkaServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static KafkaContainer? _container;

    /// <summary>
    /// True when the server is DevKafka (librdkafka's mock), whose known limits some tests must respect: assumed
    /// whenever the bootstrap servers come from the environment, unless <c>FRAUD_KAFKA_REAL=1</c> says it is a real broker.
    /// </summary>
    public static bool IsMock => TestEnvironment.HasKafka && TestEnvironment.Get("FRAUD_KAFKA_REAL") is not "1";

    /// <exception cref="InvalidOperationException">no server is configured and no Docker engine answers.</exception>
    public static async Task<string> GetBootstrapServersAsync(CancellationToken cancellationToken = default)
    {
        if (TestEnvironment.KafkaBootstrap is { } configured)
        {
            return configured;
        }

        if (!TestEnvironment.DockerAvailable)
        {
            throw new InvalidOperationException(SkipReasons.Kafka ?? "no Kafka server");
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_container is null)
            {
                var container = new KafkaBuilder("confluentinc/cp-kafka:7.5.12").Build();
                await container.StartAsync(cancellationToken);
                _container = container;
            }

            return _container.GetBootstrapAddress();
        }
        finally
        {
            Gate.Release();
        }
    }
}
