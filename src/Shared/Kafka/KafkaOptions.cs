using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>The <c>Kafka</c> configuration section shared by every deployable (env: <c>Kafka__BootstrapServers</c>, ...).</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>The dev stack's DevKafka listens here by default.</summary>
    [Required, MinLength(3)]
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    [Required] public string TransactionsTopic { get; set; } = "fraud.transactions";
    [Required] public string VerdictsTopic { get; set; } = "fraud.verdicts";
    [Required] public string LabelsTopic { get; set; } = "fraud.labels";
    [Required] public string ModelsTopic { get; set; } = "fraud.models";
    [Required] public string DlqTopic { get; set; } = "fraud.transactions.dlq";

    /// <summary>Closed day totals of merchants and devices, written by the aggregator and read by every scorer (compacted).</summary>
    [Required] public string EntityTotalsTopic { get; set; } = "fraud.entity-totals";

    /// <summary>Labels the aggregator cannot read, with the reason in headers.</summary>
    [Required] public string LabelsDlqTopic { get; set; } = "fraud.labels.dlq";

    /// <summary>The scorers' drift reports (<see cref="Contracts.DriftReport"/>, key = the reporting process), read by Monitoring.</summary>
    [Required] public string DriftTopic { get; set; } = "fraud.drift";

    /// <summary>The challenger's verdicts, scored beside the champion's off the decision path (same contract, key = <c>card_id</c>).</summary>
    [Required] public string ShadowVerdictsTopic { get; set; } = "fraud.verdicts.shadow";

    /// <summary>Retrain requests Monitoring raises when drift or live quality crosses its limits (<see cref="Contracts.RetrainRequest"/>).</summary>
    [Required] public string RetrainRequestsTopic { get; set; } = "fraud.retrain-requests";

    /// <summary>How clients talk to the brokers (<c>Plaintext</c> when unset; <c>Ssl</c>, <c>SaslSsl</c>, <c>SaslPlaintext</c>).</summary>
    public Confluent.Kafka.SecurityProtocol? SecurityProtocol { get; set; }

    /// <summary>The SASL mechanism (<c>Plain</c>, <c>ScramSha256</c>, <c>ScramSha512</c>), with <see cref="SaslUsername"/> and <see cref="SaslPassword"/>.</summary>
    public Confluent.Kafka.SaslMechanism? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    /// <summary>From a secret (env <c>Kafka__SaslPassword</c>), never from a file in the image.</summary>
    public string? SaslPassword { get; set; }

    /// <summary>The CA bundle that signed the brokers' certificates, when not the system's.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>A copy pointed at other bootstrap servers (a command's <c>--bootstrap</c>), or this one's when null; security and topics kept.</summary>
    public KafkaOptions WithBootstrapServers(string? bootstrapServers)
    {
        var copy = (KafkaOptions)MemberwiseClone();
        copy.BootstrapServers = bootstrapServers ?? BootstrapServers;
        return copy;
    }
}
