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
        Assert.Contains(parse.Errors, e => e.Message == "--card-idle-days must be between 1 and 3650");
    }

    [Fact]
    public async Task The_card_idle_time_names_the_spec_hash()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 4, cards: 10, transactionsPerCard: 5);
        var tx = Path.Combine(_dir, "tx.jsonl");
        SyntheticHistory.WriteJsonl(tx, Path.Combine(_dir, "labels.jsonl"), transactions, labels);
        var (code, output, error) = await RunAsync("features", "--transactions", tx, "--out", Path.Combine(_dir, "f.jsonl"), "--card-idle-days", "9");
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains($"spec=card-v1 hash={FeatureSpec.CardV1.WithCardIdleDays(9).Hash}", output, StringComparison.Ordinal);
        Assert.NotEqual(FeatureSpec.CardV1.Hash, FeatureSpec.CardV1.WithCardIdleDays(9).Hash);
    }

    [Fact]
    public async Task Writes_one_vector_per_transaction_in_history_order_equal_to_the_training_rows()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 4, cards: 60, transactionsPerCard: 10);
        var tx = Path.Combine(_dir, "tx.jsonl");
        var random = new Random(3);
        SyntheticHistory.WriteJsonl(tx, Path.Combine(_dir, "labels.jsonl"), transactions.OrderBy(_ => random.Next()), labels);
        var outPath = Path.Combine(_dir, "out", "features.jsonl");

        var (code, output, error) = await RunAsync("features", "--transactions", tx, "--out", outPath);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains($"transactions={transactions.Count} cards=60 spec=card-v1 hash={FeatureSpec.CardV1.Hash}", output, StringComparison.Ordinal);
        var rows = File.ReadLines(outPath).Select(l => FeatureVectorWriter.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();
        var sorted = transactions.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)).ToList();
        Assert.Equal(sorted.Select(t => t.TransactionId), rows.Select(r => r.TransactionId));

        // The training table is built by the same pipeline: its labelled rows are these vectors.
        var labelOf = labels.ToDictionary(l => l.TransactionId, l => l.IsFraud);
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        foreach (var t in sorted)
        {
            builder.Add(new HistoryRow(t, labelOf.TryGetValue(t.TransactionId, out var f) ? f : null));
        }
        var table = builder.Build();
        var byId = rows.ToDictionary(r => r.TransactionId, r => r.Features);
        for (var i = 0; i < table.RowCount; i++)
        {
            var expected = byId[table.TransactionIds[i]];
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), table.Row(i).ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public async Task With_a_model_package_the_features_are_its_training_rows_merchant_table_included()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 8, cards: 250, transactionsPerCard: 20);
        var tx = Path.Combine(_dir, "tx.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);
        var model = Path.Combine(_dir, "model");
        var train = await RunAsync("train", "--transactions", tx, "--labels", lb, "--out", model, "--rounds", "5", "--no-register", "--no-announce");
        Assert.True(train.Code == 0, $"train exit {train.Code}: {train.Error}\n{train.Output}");
        var outPath = Path.Combine(_dir, "features.jsonl");

        var (code, output, error) = await RunAsync("features", "--transactions", tx, "--out", outPath, "--model", model);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains($"spec=card-merchant-v1 hash={FeatureSpec.CardMerchantV1.Hash}", output, StringComparison.Ordinal);
        var byId = File.ReadLines(outPath).Select(l => FeatureVectorWriter.Parse(System.Text.Encoding.UTF8.GetBytes(l)))
            .ToDictionary(r => r.TransactionId, r => r.Features, StringComparer.Ordinal);

        // The trainer's own table for the same history: same frozen merchant table (same bytes), and its
        // training rows (those after the table's cutoff) are these vectors, bit for bit.
        var labelOf = labels.ToDictionary(l => l.TransactionId, l => l.IsFraud);
        var builder = new FeatureTableBuilder(FeatureSpec.CardMerchantV1);
        foreach (var t in transactions.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)))
        {
            builder.Add(new HistoryRow(t, labelOf.TryGetValue(t.TransactionId, out var f) ? f : null));
        }
        var table = builder.Build();
        Assert.Equal(File.ReadAllBytes(Path.Combine(model, "merchants.bin")), builder.Merchants!.Serialize());
        Assert.True(builder.Merchants.MerchantCount > 20, $"{builder.Merchants.MerchantCount} merchants in the table");
        Assert.True(table.RowCount < labels.Count);
        var cutoff = DateTimeOffset.FromUnixTimeMilliseconds(builder.Merchants.CutoffMs);
        Assert.All(table.EventTimes, t => Assert.True(t >= cutoff));
        var tail = FeatureSpec.CardMerchantV1.Count - MerchantTable.FeatureCount;
        for (var i = 0; i < table.RowCount; i++)
        {
            var expected = byId[table.TransactionIds[i]];
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), table.Row(i).ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Contains(byId.Values, v => v[tail] > 0f);

        // A package whose table is not the manifest's is refused, offline as online.
        var bytes = File.ReadAllBytes(Path.Combine(model, "merchants.bin"));
        bytes[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(model, "merchants.bin"), bytes);
        var refused = await RunAsync("features", "--transactions", tx, "--out", outPath, "--model", model);
        Assert.Equal(ExitCodes.BadInput, refused.Code);
        Assert.Contains("bad_merchant_table", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_transactions_file_fails_with_a_message()
    {
        var (code, _, error) = await RunAsync("features", "--transactions", Path.Combine(_dir, "nope.jsonl"), "--out", Path.Combine(_dir, "f.jsonl"));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("nope.jsonl", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
