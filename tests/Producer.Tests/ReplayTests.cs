using System.Text.Json;
using Fraud.Streaming.Producer.Output;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.Producer.Replay;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Producer.Tests;

public sealed class ReplayTests
{
    private static readonly DateTimeOffset Start = new(2017, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static (List<ReplayRecord> Records, List<ReplayError> Errors, long Malformed) Replay(ReplayFormat format, string input, string? identity = null)
    {
        var errors = new List<ReplayError>();
        var source = new ReplaySource(new ReplaySettings { Format = format, Input = Data(input), Identity = identity is null ? null : Data(identity), Start = Start }, errors.Add);
        var records = source.Records().ToList();
        return (records, errors, source.Malformed);
    }

    [Fact]
    public void Ieee_cis_joins_identity_maps_time_card_and_label_and_keeps_other_columns()
    {
        var (records, errors, malformed) = Replay(ReplayFormat.IeeeCis, "ieee_transaction.csv", "ieee_identity.csv");

        Assert.Equal(["ieee-2987000", "ieee-2987001", "ieee-2987002", "ieee-2987005"], records.Select(r => r.Transaction.TransactionId));
        Assert.Equal(2, malformed);
        Assert.Equal([5L, 6L], errors.Select(e => e.Line));
        Assert.Contains("15 fields", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("TransactionDT", errors[1].Reason, StringComparison.Ordinal);

        var second = records[1].Transaction;
        Assert.Equal(Start.AddSeconds(86401), second.EventTime);
        Assert.Equal(29.0, second.Amount);
        Assert.Equal("SM-G960U Build/R16NW", second.DeviceId);
        Assert.Equal("gmail.com", second.EmailDomain);
        Assert.Equal("US", second.Country);
        Assert.Equal("M0,with comma", second.Attributes!["M4"].GetString());
        Assert.Equal(-5.0, second.Attributes["id_01"].GetDouble());
        Assert.Equal("mobile", second.Attributes["DeviceType"].GetString());
        Assert.Equal(13926, records[0].Transaction.Attributes!["card1"].GetDouble());
        Assert.Equal("Windows, 10", records[2].Transaction.DeviceId);

        // The same card written with and without ".0" is one card; different cards differ.
        Assert.Equal(records[0].Transaction.CardId, records[3].Transaction.CardId);
        Assert.NotEqual(records[0].Transaction.CardId, records[1].Transaction.CardId);

        var fraud = records[2].Label!;
        Assert.True(fraud.IsFraud);
        Assert.Equal("chargeback", fraud.Source);
        Assert.Equal(IeeeCisSource.LabelSource, fraud.Scenario);
        Assert.InRange((fraud.LabelledAt - records[2].Transaction.EventTime).TotalDays, 1, 30);
        Assert.False(records[0].Label!.IsFraud);
        Assert.Equal(45, (records[0].Label!.LabelledAt - records[0].Transaction.EventTime).TotalDays);
        Assert.All(records, r => Assert.True(TransactionValidator.Validate(r.Transaction, EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew), out _)));
    }

    [Fact]
    public void Paysim_uses_hourly_steps_and_the_origin_as_card_and_reports_malformed_rows_by_line()
    {
        var (records, errors, malformed) = Replay(ReplayFormat.PaySim, "paysim.csv");

        Assert.Equal(3, records.Count);
        Assert.Equal(3, malformed);
        Assert.Equal([4L, 5L, 6L], errors.Select(e => e.Line));
        Assert.Contains("amount", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("12 fields", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("quote", errors[2].Reason, StringComparison.Ordinal);

        var transfer = records[1];
        Assert.Equal("C1305486145", transfer.Transaction.CardId);
        Assert.Equal("C553264065", transfer.Transaction.MerchantId);
        Assert.Equal("transfer", transfer.Transaction.MerchantCategory);
        Assert.Equal(Start.AddHours(1), transfer.Transaction.EventTime);
        Assert.True(transfer.Label!.IsFraud);
        Assert.Equal(Start.AddHours(5), records[2].Transaction.EventTime);
        Assert.Equal(15325.0, records[2].Transaction.Attributes!["oldbalanceOrg"].GetDouble());
    }

    [Fact]
    public void Jsonl_keeps_valid_contract_lines_and_reports_the_others()
    {
        var (records, errors, malformed) = Replay(ReplayFormat.Jsonl, "transactions.jsonl");

        Assert.Equal(["t-1", "t-4"], records.Select(r => r.Transaction.TransactionId));
        Assert.All(records, r => Assert.Null(r.Label));
        Assert.Equal(2, malformed);
        Assert.Equal([2L, 4L], errors.Select(e => e.Line));
        Assert.StartsWith("bad_json", errors[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("missing_field", errors[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void On_error_fail_stops_at_the_first_malformed_row()
    {
        var source = new ReplaySource(new ReplaySettings { Format = ReplayFormat.PaySim, Input = Data("paysim.csv"), FailOnError = true });
        var ex = Assert.Throws<ReplayFailedException>(() => source.Records().ToList());
        Assert.Equal(4, ex.Error.Line);
        Assert.Equal("paysim.csv", ex.Error.File);
    }

    [Fact]
    public void File_export_writes_transactions_and_labels()
    {
        using var dir = new TempDirectory();
        var source = new ReplaySource(new ReplaySettings { Format = ReplayFormat.IeeeCis, Input = Data("ieee_transaction.csv"), Start = Start });
        var summary = ReplayFileExport.Run(source, dir.Path, CancellationToken.None);

        Assert.Equal("replayed transactions=4 labels=4 fraud=2 malformed=2", summary.ToString());
        var lines = File.ReadAllLines(dir.File(SyntheticFileExport.TransactionsFile));
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.True(TransactionValidator.TryParse(System.Text.Encoding.UTF8.GetBytes(l), out _, out _)));
        using var label = JsonDocument.Parse(File.ReadLines(dir.File(SyntheticFileExport.LabelsFile)).First());
        Assert.Equal("ieee-2987000", label.RootElement.GetProperty("transaction_id").GetString());
    }
}
