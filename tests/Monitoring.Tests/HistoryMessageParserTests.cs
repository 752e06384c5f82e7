using System.Text;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class HistoryMessageParserTests
{
    private static readonly KafkaOptions Kafka = new();
    private readonly HistoryMessageParser _parser = new(Kafka, new ValidationOptions());

    [Fact]
    public void Valid_messages_parse()
    {
        var t = _parser.Parse(Samples.Consumed(Kafka.TransactionsTopic, ContractJson.Serialize(Samples.Transaction("tx-1"))));
        var v = _parser.Parse(Samples.Consumed(Kafka.VerdictsTopic, ContractJson.Serialize(Samples.Verdict("tx-1") with { Reasons = [] })));
        var l = _parser.Parse(Samples.Consumed(Kafka.LabelsTopic, ContractJson.Serialize(Samples.Label("tx-1", true, Samples.T0))));
        Assert.Equal("tx-1", t.Transaction?.TransactionId);
        Assert.Equal(Decision.Review, v.Verdict?.Decision);
        Assert.True(l.Label?.IsFraud);
        Assert.All(new[] { t, v, l }, m => Assert.Null(m.Refused));
    }

    [Theory]
    [InlineData("", "empty_message")]
    [InlineData("not json", "bad_json")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c"}""", "missing_field")]
    [InlineData("""{"transaction_id":"","card_id":"c","is_fraud":true,"labelled_at":"2026-01-01T00:00:00Z","source":"chargeback"}""", "missing_field")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c","is_fraud":"yes","labelled_at":"2026-01-01T00:00:00Z","source":"chargeback"}""", "invalid_field")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c","is_fraud":true,"labelled_at":"9999-01-01T00:00:00Z","source":"chargeback"}""", "invalid_event_time")]
    public void Bad_labels_become_dead_letters_with_a_bounded_reason(string body, string expected)
    {
        var message = _parser.Parse(Samples.Consumed(Kafka.LabelsTopic, Encoding.UTF8.GetBytes(body), offset: 7));
        Assert.Null(message.Label);
        Assert.Equal(expected, message.Refused?.Reason);
        Assert.NotEmpty(message.Refused!.Detail);
        Assert.Equal(new SourcePosition(Kafka.LabelsTopic, 0, 7), message.Refused.Source);
    }

    [Theory]
    [InlineData("{", "bad_json")]
    [InlineData("""{"transaction_id":"tx-1"}""", "missing_field")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c","event_time":"2026-01-01T00:00:00Z","score":0.5,"decision":"maybe","model_version":"v1","reasons":[],"scored_at":"2026-01-01T00:00:00Z","latency_ms":1}""", "invalid_field")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c","event_time":"2026-01-01T00:00:00Z","score":0.5,"decision":"review","model_version":"v1","reasons":[null],"scored_at":"2026-01-01T00:00:00Z","latency_ms":1}""", "invalid_field")]
    public void Bad_verdicts_become_dead_letters_with_a_bounded_reason(string body, string expected) =>
        Assert.Equal(expected, _parser.Parse(Samples.Consumed(Kafka.VerdictsTopic, Encoding.UTF8.GetBytes(body))).Refused?.Reason);

    [Fact]
    public void Bad_transactions_use_the_shared_validator_codes_and_the_key_rule()
    {
        var negative = ContractJson.Serialize(Samples.Transaction("tx-1") with { Amount = -1 });
        Assert.Equal("invalid_amount", _parser.Parse(Samples.Consumed(Kafka.TransactionsTopic, negative)).Refused?.Reason);
        var good = ContractJson.Serialize(Samples.Transaction("tx-1"));
        Assert.Equal("key_mismatch", _parser.Parse(Samples.Consumed(Kafka.TransactionsTopic, good, key: "card-000002")).Refused?.Reason);
        Assert.Equal("key_mismatch", _parser.Parse(Samples.Consumed(Kafka.TransactionsTopic, good, key: null)).Refused?.Reason);
    }
}
