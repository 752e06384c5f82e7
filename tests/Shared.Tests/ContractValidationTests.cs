using System.Text;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Tests;

/// <summary>
/// The holes a probe found in the contract, each as the message that got through: the validator now refuses every
/// one with a reason, and never throws.
/// </summary>
public sealed class ContractValidationTests
{
    private static readonly DateTimeOffset Clock = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly EventTimeWindow Window = EventTimeWindow.At(Clock, TimeSpan.FromDays(1));

    private static string Tx(string amount = "12.5", string eventTime = "\"2026-03-01T10:00:00Z\"", string channel = "\"pos\"", string id = "\"t1\"",
        string merchant = "\"m1\"", string extra = "") =>
        $$"""{"schema_version":1,"transaction_id":{{id}},"event_time":{{eventTime}},"card_id":"c1","merchant_id":{{merchant}},"merchant_category":"grocery","amount":{{amount}},"currency":"EUR","country":"FR","channel":{{channel}}{{extra}}}""";

    private static RejectReason Refused(string json)
    {
        Assert.False(TransactionValidator.TryParse(Encoding.UTF8.GetBytes(json), Window, out var t, out var reason), $"accepted: {json}");
        Assert.Null(t);
        Assert.False(string.IsNullOrWhiteSpace(reason.Detail));
        return reason;
    }

    [Fact]
    public void An_ordinary_transaction_is_accepted()
    {
        Assert.True(TransactionValidator.TryParse(Encoding.UTF8.GetBytes(Tx()), Window, out var t, out _));
        Assert.Equal("pos", t.Channel);
    }

    [Theory]
    [InlineData("channel")]
    [InlineData("merchant_id")]
    [InlineData("merchant_category")]
    [InlineData("currency")]
    [InlineData("country")]
    [InlineData("card_id")]
    public void A_json_null_where_the_contract_says_string_is_refused(string field)
    {
        var json = JsonNode(Tx());
        json[field] = null;
        var reason = Refused(json.ToJsonString());
        Assert.Contains(field, reason.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("3.5e38")]
    [InlineData("1000000000000.01")]
    public void An_amount_too_large_for_the_float32_features_is_refused(string amount) =>
        Assert.Equal(RejectCode.InvalidAmount, Refused(Tx(amount: amount)).Code);

    [Fact]
    public void The_largest_amount_is_accepted() =>
        Assert.True(TransactionValidator.TryParse(Encoding.UTF8.GetBytes(Tx(amount: "1e12")), Window, out _, out _));

    [Theory]
    [InlineData("\"9999-12-31T00:00:00Z\"")]
    [InlineData("\"2026-03-02T12:00:01Z\"")]
    [InlineData("\"1999-12-31T23:59:59Z\"")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    public void An_event_time_outside_the_window_is_refused_not_clamped(string eventTime)
    {
        var reason = Refused(Tx(eventTime: eventTime));
        Assert.Equal(RejectCode.InvalidEventTime, reason.Code);
        Assert.Contains("event_time", reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_time_within_the_skew_is_accepted() =>
        Assert.True(TransactionValidator.TryParse(Encoding.UTF8.GetBytes(Tx(eventTime: "\"2026-03-02T12:00:00Z\"")), Window, out _, out _));

    [Theory]
    [InlineData("\"m\\u0000\"")]
    [InlineData("\"\\u0000\"")]
    public void Text_the_history_database_cannot_store_is_refused(string merchant) =>
        Assert.Contains("U+0000", Refused(Tx(merchant: merchant)).Detail, StringComparison.Ordinal);

    [Fact]
    public void Unpaired_surrogates_and_invalid_utf8_are_refused()
    {
        Refused(Tx(merchant: "\"\\ud800\""));
        var bytes = Encoding.UTF8.GetBytes(Tx(merchant: "\"mX\""));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        Assert.False(TransactionValidator.TryParse(bytes, Window, out _, out var reason));
        Assert.NotEqual(RejectCode.None, reason.Code);
    }

    [Fact]
    public void Ids_longer_than_an_index_row_can_hold_are_refused() =>
        Assert.Equal(RejectCode.InvalidField, Refused(Tx(id: $"\"{new string('x', 5000)}\"")).Code);

    [Theory]
    [InlineData(",\"attributes\":{\"a\":\"x\\u0000\"}")]
    [InlineData(",\"attributes\":{\"a\\u0000\":1}")]
    [InlineData(",\"attributes\":{\"a\":1e400}")]
    [InlineData(",\"attributes\":{\"a\":[[[[[[[[[[1]]]]]]]]]]}")]
    public void Attributes_that_jsonb_cannot_hold_are_refused(string attributes) => Refused(Tx(extra: attributes));

    [Fact]
    public void A_field_given_twice_is_refused() => Refused(Tx(extra: ",\"amount\":99999"));

    [Fact]
    public void A_verdict_whose_reasons_hold_null_is_refused()
    {
        var json = """{"transaction_id":"t1","card_id":"c1","event_time":"2026-03-01T10:00:00Z","score":0.5,"decision":"review","model_version":"v1","reasons":[null],"scored_at":"2026-03-01T10:00:01Z","latency_ms":1}""";
        Assert.False(VerdictValidator.TryParse(Encoding.UTF8.GetBytes(json), Window, out _, out var reason));
        Assert.Contains("reasons[0]", reason.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"transaction_id":"t1","card_id":"c1","is_fraud":true,"labelled_at":"9999-01-01T00:00:00Z","source":"chargeback"}""", "labelled_at")]
    [InlineData("""{"transaction_id":"t1","card_id":"c1","is_fraud":true,"labelled_at":"2026-03-01T00:00:00Z","source":null}""", "source")]
    public void A_label_dated_beyond_the_window_or_without_a_source_is_refused(string json, string field)
    {
        Assert.False(LabelValidator.TryParse(Encoding.UTF8.GetBytes(json), Window, out _, out var reason));
        Assert.Contains(field, reason.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("feature_spec")]
    [InlineData("thresholds")]
    [InlineData("training")]
    [InlineData("metrics")]
    [InlineData("reference")]
    [InlineData("parameters")]
    public void A_manifest_with_a_null_required_part_is_refused(string part)
    {
        var json = JsonNode(Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Manifest())));
        json[part] = null;
        Assert.False(ManifestValidator.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), Window, out _, out var reason));
        Assert.Contains(part, reason.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "\"../../etc\"")]
    [InlineData("artifact_uri", "\"http://example.org/model.onnx\"")]
    [InlineData("artifact_sha256", "\"abc\"")]
    public void A_manifest_with_an_unusable_field_is_refused(string field, string value)
    {
        var json = JsonNode(Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Manifest())));
        json[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        Assert.False(ManifestValidator.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), Window, out _, out var reason));
        Assert.Contains(field, reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_whose_reference_names_other_features_is_refused()
    {
        var manifest = ContractSamples.Manifest();
        manifest = manifest with { Reference = [.. manifest.Reference.Skip(1), manifest.Reference[0]] };
        Assert.False(ManifestValidator.Validate(manifest, Window, out var reason));
        Assert.Contains("reference[0]", reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_manifest_is_accepted() =>
        Assert.True(ManifestValidator.TryParse(ContractJson.Serialize(ContractSamples.Manifest()), Window, out _, out var reason), reason.Detail);

    [Fact]
    public void Random_bytes_never_throw_from_any_validator()
    {
        var random = new Random(5);
        var buffer = new byte[96];
        for (var i = 0; i < 3000; i++)
        {
            random.NextBytes(buffer);
            var bytes = buffer.AsSpan(0, random.Next(buffer.Length));
            Assert.False(TransactionValidator.TryParse(bytes, Window, out _, out _));
            Assert.False(LabelValidator.TryParse(bytes, Window, out _, out _));
            Assert.False(VerdictValidator.TryParse(bytes, Window, out _, out _));
            Assert.False(ManifestValidator.TryParse(bytes, Window, out _, out _));
        }
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
}
