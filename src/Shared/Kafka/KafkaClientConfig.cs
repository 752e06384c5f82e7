using Confluent.Kafka;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// The one place every Kafka client of every deployable is pointed at the cluster: the bootstrap servers and the
/// cluster's security settings (TLS, SASL) from <see cref="KafkaOptions"/>. Each client sets what is its own (client id,
/// acks, commits, fetch sizes) in its initializer and ends it with <c>.ForCluster(kafka)</c>.
/// </summary>
public static class KafkaClientConfig
{
    public static T ForCluster<T>(this T config, KafkaOptions kafka) where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(kafka);
        config.BootstrapServers = kafka.BootstrapServers;
        if (kafka.SecurityProtocol is { } protocol)
        {
            config.SecurityProtocol = protocol;
        }
        if (kafka.SaslMechanism is { } mechanism)
        {
            config.SaslMechanism = mechanism;
            config.SaslUsername = kafka.SaslUsername;
            config.SaslPassword = kafka.SaslPassword;
        }
        if (kafka.SslCaLocation is { Length: > 0 } ca)
        {
            config.SslCaLocation = ca;
        }
        return config;
    }
}
