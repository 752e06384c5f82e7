using System.Text.Json;
using Confluent.Kafka;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.Tests;

internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static Transaction Transaction(string id, Dictionary<string, JsonElement>? attributes = null) => new()
    {
        TransactionId = id,
        EventTime = T0,
        CardId = "card-000001",
        MerchantId = "merch-00001",
        MerchantCategory = "grocery",
        Amount = 12.34,
        Currency = "EUR",
        Country = "DE",
        Channel = "online",
        DeviceId = "dev-000001-0",
        Attributes = attributes,
    };

    public static Verdict Verdict(string id) => new()
    {
        TransactionId = id,
        CardId = "card-000001",
        EventTime = T0,
        Score = 0.875f,
        Decision = Decision.Review,
        ModelVersion = "v1",
        Reasons = [new Reason("amount_z", 3.5f, 0.4f), new Reason("new_device", 1f, float.NaN)],
        ScoredAt = T0.AddMilliseconds(3),
        LatencyMs = 1.25,
    };

    /// <summary>A parsed message as the consumer hands it to the writer, read at <paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public static HistoryMessage Message(Transaction t, long offset, string topic = "fraud.transactions") =>
        new() { Source = new SourcePosition(topic, 0, offset), Payload = ContractJson.Serialize(t), Transaction = t };

    public static HistoryMessage Message(Verdict v, long offset) =>
        new() { Source = new SourcePosition("fraud.verdicts", 0, offset), Payload = float.IsFinite(v.Reasons.Sum(r => r.Contribution)) ? ContractJson.Serialize(v) : null, Verdict = v };

    public static HistoryMessage Message(Label l, long offset) =>
        new() { Source = new SourcePosition("fraud.labels", 0, offset), Payload = ContractJson.Serialize(l), Label = l };

    /// <summary>A consumed message as Kafka hands it over, stamped now.</summary>
    public static ConsumeResult<byte[], byte[]> Consumed(string topic, byte[] value, string? key = "card-000001", long offset = 0) => new()
    {
        Topic = topic,
        Partition = 0,
        Offset = offset,
        Message = new Message<byte[], byte[]>
        {
            Key = key is null ? null! : System.Text.Encoding.UTF8.GetBytes(key),
            Value = value,
            Timestamp = new Timestamp(DateTimeOffset.UtcNow),
        },
    };

    public static Label Label(string id, bool fraud, DateTimeOffset at, string source = "chargeback") => new()
    {
        TransactionId = id,
        CardId = "card-000001",
        IsFraud = fraud,
        LabelledAt = at,
        Source = source,
        Scenario = fraud ? "card_testing" : null,
    };
}
