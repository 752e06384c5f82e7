using Confluent.Kafka;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Shared.Tests.Kafka;

public sealed class KafkaClientConfigTests
{
    [Fact]
    public void Every_client_gets_the_clusters_address_and_security_from_the_kafka_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "broker-1:9093",
            ["Kafka:SecurityProtocol"] = "SaslSsl",
            ["Kafka:SaslMechanism"] = "ScramSha512",
            ["Kafka:SaslUsername"] = "scorer",
            ["Kafka:SaslPassword"] = "secret",
            ["Kafka:SslCaLocation"] = "/etc/kafka/ca.pem",
        }).Build();
        var kafka = CliConfiguration.Bind<KafkaOptions>(configuration, KafkaOptions.Section);

        var consumer = new ConsumerConfig { ClientId = "c", GroupId = "g" }.ForCluster(kafka);
        var producer = new ProducerConfig { ClientId = "p", Acks = Acks.All }.ForCluster(kafka);

        foreach (ClientConfig config in new ClientConfig[] { consumer, producer })
        {
            Assert.Equal("broker-1:9093", config.BootstrapServers);
            Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
            Assert.Equal(SaslMechanism.ScramSha512, config.SaslMechanism);
            Assert.Equal("scorer", config.SaslUsername);
            Assert.Equal("secret", config.SaslPassword);
            Assert.Equal("/etc/kafka/ca.pem", config.SslCaLocation);
        }
        Assert.Equal("g", consumer.GroupId);
        Assert.Equal(Acks.All, producer.Acks);
    }

    [Fact]
    public void Without_security_settings_a_client_talks_plaintext_as_before()
    {
        var config = new ConsumerConfig { GroupId = "g" }.ForCluster(new KafkaOptions { BootstrapServers = "127.0.0.1:9092" });

        Assert.Null(config.SecurityProtocol);
        Assert.Null(config.SaslMechanism);
        Assert.Equal("127.0.0.1:9092", config.BootstrapServers);
    }

    [Fact]
    public void A_commands_bootstrap_override_keeps_the_security_and_topics()
    {
        var kafka = new KafkaOptions { SecurityProtocol = SecurityProtocol.Ssl, TransactionsTopic = "tx" };

        var copy = kafka.WithBootstrapServers("other:9092");

        Assert.Equal(("other:9092", SecurityProtocol.Ssl, "tx"), (copy.BootstrapServers, copy.SecurityProtocol, copy.TransactionsTopic));
        Assert.Equal("127.0.0.1:9092", kafka.BootstrapServers);
        Assert.Equal("127.0.0.1:9092", kafka.WithBootstrapServers(null).BootstrapServers);
    }
}
