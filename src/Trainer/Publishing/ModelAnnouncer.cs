using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Trust;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>
/// Publishes model manifests on the models topic (compacted, key = model name), so scorers fetch and swap
/// to the announced version. An idempotent producer that waits for all in-sync replicas. With a signer, each
/// announcement carries an Ed25519 signature over its exact bytes (<see cref="AnnouncementHeaders"/>), which scorers
/// check against the keys they trust before reading it.
/// </summary>
internal sealed class ModelAnnouncer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly string _topic;
    private readonly TimeSpan _timeout;
    private readonly AnnouncementSigner? _signer;

    /// <param name="timeout">how long one announcement may take before it is reported as failed.</param>
    /// <param name="signer">signs each announcement; null sends them unsigned (scorers that trust keys refuse those).</param>
    public ModelAnnouncer(KafkaOptions options, TimeSpan timeout, AnnouncementSigner? signer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _topic = options.ModelsTopic;
        _timeout = timeout;
        _signer = signer;
        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            ClientId = "fraud-model-announcer",
            // Bounded, so an unreachable cluster fails the announcement instead of hanging the job.
            MessageTimeoutMs = (int)Math.Max(1000, timeout.TotalMilliseconds),
            SocketConnectionSetupTimeoutMs = (int)Math.Max(1000, timeout.TotalMilliseconds),
        }.ForCluster(options);
        // Connection errors surface as the failed delivery; librdkafka's own log lines would only repeat them on stderr.
        _producer = new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
    }

    public string Topic => _topic;

    /// <summary>Announces <paramref name="manifest"/> as the challenger scorers score in shadow.</summary>
    /// <exception cref="KafkaException">not acknowledged within the timeout.</exception>
    public Task<TopicPartitionOffset> AnnounceChallengerAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PublishAsync(ModelTopicKeys.Challenger(manifest.ModelName), ContractJson.Serialize(manifest), cancellationToken);
    }

    /// <summary>Ends the challenge: scorers stop shadow scoring.</summary>
    /// <exception cref="KafkaException">not acknowledged within the timeout.</exception>
    public Task<TopicPartitionOffset> WithdrawChallengerAsync(string modelName, CancellationToken cancellationToken) =>
        PublishAsync(ModelTopicKeys.Challenger(modelName), null, cancellationToken);

    /// <summary>Publishes the manifest and waits until the cluster acknowledged it.</summary>
    /// <exception cref="KafkaException">the manifest was not acknowledged within the timeout.</exception>
    public Task<TopicPartitionOffset> AnnounceAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PublishAsync(ModelTopicKeys.Champion(manifest.ModelName), ContractJson.Serialize(manifest), cancellationToken);
    }

    private async Task<TopicPartitionOffset> PublishAsync(string key, byte[]? value, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout + TimeSpan.FromSeconds(1));
        try
        {
            var message = new Message<string, byte[]> { Key = key, Value = value! };
            if (_signer is not null)
            {
                // A tombstone is signed over no bytes, so a scorer that trusts keys can tell a withdrawal from a forgery.
                message.Headers = new Headers
                {
                    { AnnouncementHeaders.KeyId, System.Text.Encoding.ASCII.GetBytes(_signer.KeyId) },
                    { AnnouncementHeaders.Signature, _signer.Sign(value ?? []) },
                };
            }
            var result = await _producer.ProduceAsync(_topic, message, timeout.Token);
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
