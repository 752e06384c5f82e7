using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class FeaturesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-features-").FullName;

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TrainerCli.Build(new ConfigurationBuilder().Build(), output, error).Parse(args).InvokeAsync();
        return (code, output.ToString(), error.ToString());
    }

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
    public async Task A_missing_transactions_file_fails_with_a_message()
    {
        var (code, _, error) = await RunAsync("features", "--transactions", Path.Combine(_dir, "nope.jsonl"), "--out", Path.Combine(_dir, "f.jsonl"));
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("nope.jsonl", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
