using System.Text.Json;
using Fraud.Streaming.Monitoring.History;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class HistoryRowsTests
{
    [Fact]
    public void Transactions_map_to_columns_in_order_with_utc_times_json_attributes_and_their_position()
    {
        var attributes = new Dictionary<string, JsonElement> { ["V1"] = JsonSerializer.SerializeToElement(1.5), ["id_30"] = JsonSerializer.SerializeToElement("Android") };
        var rows = HistoryRows.From(
        [
            Samples.Message(Samples.Transaction("tx-1", attributes), 10),
            Samples.Message(Samples.Transaction("tx-2") with { EventTime = Samples.T0.ToOffset(TimeSpan.FromHours(2)), DeviceId = null }, 11),
        ]).Transactions;

        Assert.Equal(["tx-1", "tx-2"], rows.TransactionId);
        Assert.All(rows.EventTime, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.Equal(Samples.T0.UtcDateTime, rows.EventTime[1]);
        Assert.Equal(12.34, rows.Amount[0]);
        Assert.Equal("dev-000001-0", rows.DeviceId[0]);
        Assert.Null(rows.DeviceId[1]);
        Assert.Equal("""{"V1":1.5,"id_30":"Android"}""", rows.Attributes[0]);
        Assert.Null(rows.Attributes[1]);
        Assert.Equal([10L, 11L], rows.SourceOffset);
    }

    [Fact]
    public void A_repeated_id_is_a_duplicate_from_another_position_and_nothing_from_the_same_one()
    {
        var rows = HistoryRows.From(
        [
            Samples.Message(Samples.Transaction("tx-1"), 10),
            Samples.Message(Samples.Transaction("tx-1"), 10),
            Samples.Message(Samples.Transaction("tx-1") with { Amount = 99 }, 12),
        ]);

        Assert.Equal(["tx-1"], rows.Transactions.TransactionId);
        var duplicate = Assert.Single(rows.DeadLetters);
        Assert.Equal("duplicate_transaction_id", duplicate.Reason);
        Assert.Equal(12, duplicate.Source.Offset);
    }

    [Fact]
    public void Verdicts_map_decision_names_and_reasons_json_without_non_finite_numbers()
    {
        var rows = HistoryRows.From([Samples.Message(Samples.Verdict("tx-1"), 1)]).Verdicts;

        Assert.Equal("review", rows.Decision[0]);
        Assert.Equal(0.875f, rows.Score[0]);
        Assert.Equal(Samples.T0.AddMilliseconds(3).UtcDateTime, rows.ScoredAt[0]);
        Assert.Equal("""[{"feature":"amount_z","value":3.5,"contribution":0.4},{"feature":"new_device","value":1,"contribution":null}]""", rows.Reasons[0]);
    }

    [Fact]
    public void Labels_keep_one_row_per_transaction_the_latest_winning()
    {
        var rows = HistoryRows.From(
        [
            Samples.Message(Samples.Label("tx-1", fraud: false, Samples.T0, "matured"), 1),
            Samples.Message(Samples.Label("tx-2", fraud: false, Samples.T0, "matured"), 2),
            Samples.Message(Samples.Label("tx-1", fraud: true, Samples.T0.AddDays(3)), 3),
            Samples.Message(Samples.Label("tx-1", fraud: false, Samples.T0.AddDays(1), "review"), 4),
        ]).Labels;

        Assert.Equal(["tx-1", "tx-2"], rows.TransactionId);
        Assert.True(rows.IsFraud[0]);
        Assert.Equal("chargeback", rows.Source[0]);
        Assert.Equal("card_testing", rows.Scenario[0]);
        Assert.Null(rows.Scenario[1]);
        Assert.Equal(Samples.T0.AddDays(3).UtcDateTime, rows.LabelledAt[0]);
    }

    [Fact]
    public void Empty_batch_maps_to_empty_columns()
    {
        var rows = HistoryRows.From([]);
        Assert.Equal(0, rows.Transactions.Count + rows.Verdicts.Count + rows.Labels.Count + rows.DeadLetters.Count);
    }
}
