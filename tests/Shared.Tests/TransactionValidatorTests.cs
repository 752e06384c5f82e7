using System.Text;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Tests;

public sealed class TransactionValidatorTests
{
    private const string Valid = """{"schema_version":1,"transaction_id":"t1","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"grocery","amount":12.5,"currency":"EUR","country":"FR","channel":"pos"}""";

    [Fact]
    public void A_valid_transaction_parses()
    {
        Assert.True(TransactionValidator.TryParse(Encoding.UTF8.GetBytes(Valid), out var t, out var reason));
        Assert.Equal("t1", t.TransactionId);
        Assert.Equal(12.5, t.Amount);
        Assert.Equal(RejectCode.None, reason.Code);
    }

    [Theory]
    [InlineData("", "empty_message")]
    [InlineData("{not json", "bad_json")]
    [InlineData("null", "bad_json")]
    [InlineData("[1,2]", "bad_json")]
    [InlineData("""{"schema_version":1,"event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1,"currency":"EUR","country":"FR","channel":"pos"}""", "missing_field")]
    [InlineData("""{"schema_version":1,"transaction_id":"","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1,"currency":"EUR","country":"FR","channel":"pos"}""", "missing_field")]
    [InlineData("""{"schema_version":1,"transaction_id":"t","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":-3,"currency":"EUR","country":"FR","channel":"pos"}""", "invalid_amount")]
    [InlineData("""{"schema_version":1,"transaction_id":"t","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1e999,"currency":"EUR","country":"FR","channel":"pos"}""", "invalid_amount")]
    [InlineData("""{"schema_version":1,"transaction_id":"t","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":"NaN","currency":"EUR","country":"FR","channel":"pos"}""", "invalid_amount")]
    [InlineData("""{"schema_version":1,"transaction_id":"t","event_time":"yesterday","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1,"currency":"EUR","country":"FR","channel":"pos"}""", "invalid_event_time")]
    [InlineData("""{"schema_version":99,"transaction_id":"t","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1,"currency":"EUR","country":"FR","channel":"pos"}""", "unsupported_schema_version")]
    [InlineData("""{"schema_version":1,"transaction_id":"t","event_time":"2026-03-01T10:00:00Z","card_id":"c1","merchant_id":"m1","merchant_category":"g","amount":1,"currency":"EUR","country":"FR","channel":7}""", "invalid_field")]
    public void Malformed_messages_are_rejected_with_a_reason(string json, string expectedCode)
    {
        Assert.False(TransactionValidator.TryParse(Encoding.UTF8.GetBytes(json), out var t, out var reason));
        Assert.Null(t);
        Assert.Equal(expectedCode, reason.CodeName);
        Assert.False(string.IsNullOrWhiteSpace(reason.Detail));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(3);
        var buffer = new byte[64];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(buffer);
            var length = random.Next(buffer.Length);
            Assert.False(TransactionValidator.TryParse(buffer.AsSpan(0, length), out _, out var reason));
            Assert.NotEqual(RejectCode.None, reason.Code);
        }
    }
}
