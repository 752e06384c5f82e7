using System.Text;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class HistoryMessageParserTests
{
    [Fact]
    public void Valid_messages_parse()
    {
        Assert.True(HistoryMessageParser.TryParseTransaction(ContractJson.Serialize(Samples.Transaction("tx-1")), out var t, out _, out _));
        Assert.True(HistoryMessageParser.TryParseVerdict(ContractJson.Serialize(Samples.Verdict("tx-1") with { Reasons = [] }), out var v, out _, out _));
        Assert.True(HistoryMessageParser.TryParseLabel(ContractJson.Serialize(Samples.Label("tx-1", true, Samples.T0)), out var l, out _, out _));
        Assert.Equal("tx-1", t.TransactionId);
        Assert.Equal(Decision.Review, v.Decision);
        Assert.True(l.IsFraud);
    }

    [Theory]
    [InlineData("", "empty_message")]
    [InlineData("not json", "bad_json")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c"}""", "missing_field")]
    [InlineData("""{"transaction_id":"","card_id":"c","is_fraud":true,"labelled_at":"2026-01-01T00:00:00Z","source":"chargeback"}""", "missing_field")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c","is_fraud":"yes","labelled_at":"2026-01-01T00:00:00Z","source":"chargeback"}""", "invalid_field")]
    public void Bad_labels_are_refused_with_a_bounded_reason(string body, string expected)
    {
        Assert.False(HistoryMessageParser.TryParseLabel(Encoding.UTF8.GetBytes(body), out _, out var reason, out var detail));
        Assert.Equal(expected, reason);
        Assert.NotEmpty(detail);
    }

    [Theory]
    [InlineData("{", "bad_json")]
    [InlineData("""{"transaction_id":"tx-1"}""", "missing_field")]
    [InlineData("""{"transaction_id":"tx-1","card_id":"c","event_time":"2026-01-01T00:00:00Z","score":0.5,"decision":"maybe","model_version":"v1","reasons":[],"scored_at":"2026-01-01T00:00:00Z","latency_ms":1}""", "invalid_field")]
    public void Bad_verdicts_are_refused_with_a_bounded_reason(string body, string expected)
    {
        Assert.False(HistoryMessageParser.TryParseVerdict(Encoding.UTF8.GetBytes(body), out _, out var reason, out _));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Bad_transactions_use_the_shared_validator_codes()
    {
        var negative = ContractJson.Serialize(Samples.Transaction("tx-1") with { Amount = -1 });
        Assert.False(HistoryMessageParser.TryParseTransaction(negative, out _, out var reason, out _));
        Assert.Equal("invalid_amount", reason);
    }
}
