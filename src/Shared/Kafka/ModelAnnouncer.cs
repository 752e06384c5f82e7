using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// Publishes model manifests on the models topic (compacted, key = model name), so scorers fetch and swap
/// to the announced version. An idempotent producer that waits for all in-sync replicas.
/// </summary>
public sealed class ModelAnnouncer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly string _topic;
    private readonly TimeSpan _timeout;

    /// <param name="timeout">how long one announcement may take before it is reported as failed.</param>
    public ModelAnnouncer(KafkaOptions options, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        _topic = options.ModelsTopic;
        _timeout = timeout;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            ClientId = "fraud-model-announcer",
            // Bounded, so an unreachable cluster fails the announcement instead of hanging the job.
            MessageTimeoutMs = (int)Math.Max(1000, timeout.TotalMilliseconds),
            SocketConnectionSetupTimeoutMs = (int)Math.Max(1000, timeout.TotalMilliseconds),
        };
        // Connection errors surface as the failed delivery; librdkafka's own log lines would only repeat them on stderr.
        _producer = new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
    }

    public string Topic => _topic;

    /// <summary>Publishes the manifest and waits until the cluster acknowledged it.</summary>
    /// <exception cref="KafkaException">the manifest was not acknowledged within the timeout.</exception>
    public async Task<TopicPartitionOffset> AnnounceAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout + TimeSpan.FromSeconds(1));
        try
        {
            var result = await _producer.ProduceAsync(_topic,
                new Message<string, byte[]> { Key = manifest.ModelName, Value = ContractJson.Serialize(manifest) }, timeout.Token);
            _producer.Flush(_timeout);
            return result.TopicPartitionOffset;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"no acknowledgement from {_topic} within {_timeout.TotalSeconds:0.#} s"));
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(1));
        _producer.Dispose();
    }
}
