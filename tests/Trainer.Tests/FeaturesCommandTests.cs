using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class FeaturesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-features-").FullName;

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => TrainerCliRun.RunAsync(args);

    [Theory]
    [InlineData("features")]
    [InlineData("train")]
    public async Task A_card_idle_time_out_of_range_is_refused_in_one_line(string command)
    {
        var parse = TrainerCli.Build(new ConfigurationBuilder().Build(), TextWriter.Null, TextWriter.Null)
            .Parse([command, "--transactions", "none.jsonl", "--out", Path.Combine(_dir, "x"), "--card-idle-days", "0"]);
        Assert.Contains(parse.Errors, e => e.Message == "--card-idle-days must be between 1 and 3650, not 0");
    }

    [Fact]
    public async Task The_card_idle_time_names_the_spec_hash()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 4, cards: 10, transactionsPerCard: 5);
        var tx = Path.Combine(_dir, "tx.jsonl");
        SyntheticHistory.WriteJsonl(tx, Path.Combine(_dir, "labels.jsonl"), transactions, labels);
        var (code, output, error) = await RunAsync("features", "--transactions", tx, "--out", Path.Combine(_dir, "f.jsonl"),
            "--card-idle-days", "9", "--entity-lag-hours", "6", "--report-horizon-days", "60");
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains($"spec=card-entity-v1 hash={FeatureSpec.Configure(9, 6, 60).Hash}", output, StringComparison.Ordinal);
        var hashes = new[] { FeatureSpec.CardEntityV1, FeatureSpec.Configure(9, 3, 120), FeatureSpec.Configure(30, 6, 120), FeatureSpec.Configure(30, 3, 60) }
            .Select(s => s.Hash).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public async Task Writes_one_vector_per_transaction_in_history_order_equal_to_the_training_rows()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 4, cards: 60, transactionsPerCard: 10);
        var tx = Path.Combine(_dir, "tx.jsonl");
        var random = new Random(3);
        SyntheticHistory.WriteJsonl(tx, Path.Combine(_dir, "labels.jsonl"), transactions.OrderBy(_ => random.Next()), labels);
        var outPath = Path.Combine(_dir, "out", "features.jsonl");

        var (code, output, error) = await RunAsync("features", "--transactions", tx, "--labels", Path.Combine(_dir, "labels.jsonl"), "--out", outPath);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains($"transactions={transactions.Count} cards=60 spec=card-entity-v1 hash={FeatureSpec.CardEntityV1.Hash}", output, StringComparison.Ordinal);
        var rows = File.ReadLines(outPath).Select(l => FeatureVectorWriter.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();
        var sorted = transactions.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)).ToList();
        Assert.Equal(sorted.Select(t => t.TransactionId), rows.Select(r => r.TransactionId));

        // The training table is built by the same pipeline: its labelled rows are these vectors.
        var labelOf = labels.ToDictionary(l => l.TransactionId);
        var builder = new FeatureTableBuilder(FeatureSpec.CardEntityV1);
        foreach (var t in sorted)
        {
            builder.Add(labelOf.TryGetValue(t.TransactionId, out var l) ? HistoryRow.Of(t, l.IsFraud, l.LabelledAt) : HistoryRow.Of(t, null));
        }
        var table = builder.Build();
        Assert.True(table.RowCount > 300, $"{table.RowCount} rows");
        var byId = rows.ToDictionary(r => r.TransactionId, r => r.Features);
        for (var i = 0; i < table.RowCount; i++)
        {
            var expected = byId[table.TransactionIds[i]];
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), table.Row(i).ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public async Task The_fraud_reports_of_the_labels_file_feed_the_merchant_and_device_features()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 8, cards: 250, transactionsPerCard: 20);
        // Fraud at one busy merchant, reported a day or two later, so the history's later transactions can read the reports.
        var frauds = labels.Where(l => l.IsFraud).Select(l => l.TransactionId).ToHashSet(StringComparer.Ordinal);
        transactions = transactions.Select(t => frauds.Contains(t.TransactionId) ? t with { MerchantId = "m-7" } : t).ToList();
        var eventTime = transactions.ToDictionary(t => t.TransactionId, t => t.EventTime);
        labels = labels.Select((l, i) => l with { LabelledAt = eventTime[l.TransactionId].AddHours(24 + (i % 24)) }).ToList();
        var tx = Path.Combine(_dir, "tx.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);

        var without = await RunAsync("features", "--transactions", tx, "--out", Path.Combine(_dir, "without.jsonl"));
        var with = await RunAsync("features", "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, "with.jsonl"));
        Assert.True(without.Code == 0 && with.Code == 0, without.Error + with.Error);

        var names = FeatureSpec.CardEntityV1.Names.ToList();
        int[] reports = [names.IndexOf("merchant_fraud_reports_30d"), names.IndexOf("device_fraud_reports_30d")];
        int[] counts = [names.IndexOf("merchant_tx_count_30d_log"), names.IndexOf("device_tx_count_30d_log")];
        var a = Read(Path.Combine(_dir, "without.jsonl"));
        var b = Read(Path.Combine(_dir, "with.jsonl"));
        // Activity is the same either way; reports exist only with the labels.
        Assert.All(a.Zip(b), p => Assert.Equal(counts.Select(i => p.First.Features[i]), counts.Select(i => p.Second.Features[i])));
        Assert.All(a, r => Assert.Equal(0f, r.Features[reports[0]]));
        Assert.Contains(b, r => r.Features[reports[0]] > 0f);
        Assert.Contains(b, r => r.Features[reports[1]] > 0f);
        Assert.Contains(b, r => r.Features[counts[0]] > 0f);
    }

    [Fact]
    public async Task A_model_package_for_another_spec_is_refused()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 8, cards: 250, transactionsPerCard: 20);
        var tx = Path.Combine(_dir, "tx.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);
        var model = Path.Combine(_dir, "model");
        var train = await RunAsync("train", "--transactions", tx, "--labels", lb, "--out", model, "--rounds", "5", "--no-register", "--no-announce");
        Assert.True(train.Code == 0, $"train exit {train.Code}: {train.Error}\n{train.Output}");

        var same = await RunAsync("features", "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, "f.jsonl"), "--model", model);
        Assert.True(same.Code == 0, same.Error);
        var other = await RunAsync("features", "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, "f.jsonl"), "--model", model, "--entity-lag-hours", "6");
        Assert.Equal(ExitCodes.BadInput, other.Code);
        Assert.Contains("feature_spec_mismatch", other.Error, StringComparison.Ordinal);
    }

    private static List<(string TransactionId, float[] Features)> Read(string path) =>
        File.ReadLines(path).Select(l => FeatureVectorWriter.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();

    [Fact]
    public async Task A_missing_transactions_file_fails_with_a_message()
    {
        var (code, _, error) = await RunAsync("features", "--transactions", Path.Combine(_dir, "nope.jsonl"), "--out", Path.Combine(_dir, "f.jsonl"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("nope.jsonl", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
