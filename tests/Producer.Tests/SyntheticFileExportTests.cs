using System.Text.Json;
using Fraud.Streaming.Producer.Output;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Producer.Tests;

public sealed class SyntheticFileExportTests
{
    private static readonly SyntheticSettings Small = new() { Count = 20_000, Cards = 300, Merchants = 80, Seed = 7, Labels = LabelMode.All };

    [Fact]
    public void Same_seed_writes_byte_identical_files()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        SyntheticFileExport.Run(Small, a.Path, malformed: 7, CancellationToken.None);
        SyntheticFileExport.Run(Small, b.Path, malformed: 7, CancellationToken.None);

        foreach (var name in new[] { SyntheticFileExport.TransactionsFile, SyntheticFileExport.LabelsFile, SyntheticFileExport.MalformedFile })
        {
            Assert.Equal(File.ReadAllBytes(a.File(name)), File.ReadAllBytes(b.File(name)));
        }
    }

    [Fact]
    public void A_cancelled_export_stops_early_and_writes_whole_lines_only()
    {
        using var dir = new TempDirectory();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var summary = SyntheticFileExport.Run(Small with { Count = 5_000_000 }, dir.Path, malformed: 0, cancelled.Token);

        Assert.True(summary.Transactions < 5_000_000, $"wrote {summary.Transactions}");
        Assert.Equal(summary.Transactions, File.ReadLines(dir.File(SyntheticFileExport.TransactionsFile)).Count());
        Assert.Equal(summary.Transactions, File.ReadLines(dir.File(SyntheticFileExport.LabelsFile)).Count());
    }

    [Fact]
    public void Different_seed_writes_different_files()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        SyntheticFileExport.Run(Small, a.Path, malformed: 0, CancellationToken.None);
        SyntheticFileExport.Run(Small with { Seed = 8 }, b.Path, malformed: 0, CancellationToken.None);

        Assert.NotEqual(File.ReadAllBytes(a.File(SyntheticFileExport.TransactionsFile)), File.ReadAllBytes(b.File(SyntheticFileExport.TransactionsFile)));
        using var first = JsonDocument.Parse(File.ReadLines(b.File(SyntheticFileExport.TransactionsFile)).First());
        Assert.StartsWith("tx-8-", first.RootElement.GetProperty("transaction_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_transaction_validates_has_exactly_one_label_and_times_never_decrease()
    {
        using var dir = new TempDirectory();
        var summary = SyntheticFileExport.Run(Small, dir.Path, malformed: 0, CancellationToken.None);

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var previous = DateTimeOffset.MinValue;
        var lines = 0;
        foreach (var line in File.ReadLines(dir.File(SyntheticFileExport.TransactionsFile)))
        {
            Assert.True(TransactionValidator.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out var tx, out var reason), $"{reason.CodeName}: {reason.Detail} in {line}");
            Assert.True(ids.Add(tx.TransactionId), $"duplicate id {tx.TransactionId}");
            Assert.True(tx.EventTime >= previous, $"{tx.TransactionId} at {tx.EventTime:O} is before {previous:O}");
            Assert.InRange(tx.EventTime, Small.Start, Small.Start.AddDays(Small.SpanDays * 1.2));
            previous = tx.EventTime;
            lines++;
        }
        Assert.Equal(Small.Count, lines);
        Assert.Equal(Small.Count, summary.Transactions);

        var labelled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(dir.File(SyntheticFileExport.LabelsFile)))
        {
            var label = ContractJson.DeserializeLabel(System.Text.Encoding.UTF8.GetBytes(line));
            Assert.True(labelled.Add(label.TransactionId), $"second label for {label.TransactionId}");
            Assert.Contains(label.Source, label.IsFraud ? [FraudScenarios.ChargebackSource, FraudScenarios.ConfirmedSource] : new[] { FraudScenarios.MaturedSource });
            Assert.Equal(label.IsFraud, label.Scenario is not null);
        }
        Assert.True(ids.SetEquals(labelled));
    }

    [Fact]
    public void Labels_carry_the_card_of_their_transaction()
    {
        var generator = new SyntheticGenerator(Small);
        for (var i = 0; i < 5_000; i++)
        {
            var e = generator.Next();
            Assert.Equal(e.Transaction.TransactionId, e.Label.TransactionId);
            Assert.Equal(e.Transaction.CardId, e.Label.CardId);
            Assert.True(e.Label.LabelledAt > e.Transaction.EventTime);
        }
    }

    [Fact]
    public void Output_is_snake_case_contract_json()
    {
        using var dir = new TempDirectory();
        SyntheticFileExport.Run(Small with { Count = 10 }, dir.Path, malformed: 0, CancellationToken.None);
        using var doc = JsonDocument.Parse(File.ReadLines(dir.File(SyntheticFileExport.TransactionsFile)).First());
        Assert.Equal(1, doc.RootElement.GetProperty("schema_version").GetInt32());
        Assert.StartsWith("card-", doc.RootElement.GetProperty("card_id").GetString(), StringComparison.Ordinal);
    }
}
