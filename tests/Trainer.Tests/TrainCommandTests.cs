using System.Text.Json;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-test-").FullName;

    private (string Transactions, string Labels) WriteHistory()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 21, cards: 250, transactionsPerCard: 12);
        var tx = Path.Combine(_dir, "transactions.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        // Shuffled on purpose: the trainer must sort by event time itself.
        var random = new Random(1);
        SyntheticHistory.WriteJsonl(tx, lb, transactions.OrderBy(_ => random.Next()), labels);
        return (tx, lb);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TrainerCli.Build(configuration, output, error).Parse(args).InvokeAsync();
        return (code, output.ToString(), error.ToString());
    }

    private static IConfiguration Empty() => new ConfigurationBuilder().Build();

    [Fact]
    public async Task Train_from_files_writes_a_package_the_scorer_accepts()
    {
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "out");

        var (code, output, error) = await RunAsync(Empty(), "train", "--transactions", tx, "--labels", lb, "--out", outDir,
            "--rounds", "40", "--no-register", "--no-announce");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.True(File.Exists(Path.Combine(outDir, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(outDir, "manifest.json")));
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("ROC-AUC", report, StringComparison.Ordinal);
        Assert.Contains("decline (score ≥)", report, StringComparison.Ordinal);

        using var model = LoadedModel.FromDirectory(outDir, FeatureSpec.CardV1);
        var m = model.Manifest;
        Assert.Equal("fraud-gbdt", m.ModelName);
        Assert.Matches("^v[0-9]{14}-[0-9a-f]{6}$", m.Version);
        Assert.Equal("gbdt", m.Algorithm);
        Assert.StartsWith("cpu", m.Device, StringComparison.Ordinal);
        Assert.Equal(FeatureSpec.CardV1.Hash, m.FeatureSpec.Hash);
        Assert.Equal(FeatureSpec.CardV1.Count, m.Reference.Count);
        Assert.True(m.Thresholds.Review <= m.Thresholds.Decline);
        Assert.True(m.Training.WindowStart < m.Training.WindowEnd);
        Assert.True(m.Training.RowCount > 1000 && m.Training.FraudCount > 10 && m.Training.HoldoutRowCount > 200);
        Assert.True(m.Metrics.RocAuc > 0.8, $"auc {m.Metrics.RocAuc}");
        Assert.Equal("40", m.Parameters["rounds"]);
        Assert.Contains($"version={m.Version}", output, StringComparison.Ordinal);
        Assert.Contains("champion=false", output, StringComparison.Ordinal);
        Assert.Matches(@"trained model=fraud-gbdt version=\S+ rows=\d+ auc=0\.\d{4} pr_auc=\d\.\d{4} recall@1%fpr=\d\.\d{4} champion=false", output);
    }

    [Fact]
    public async Task Same_data_and_parameters_give_the_same_content_hash()
    {
        var (tx, lb) = WriteHistory();
        var hashes = new List<string>();
        foreach (var run in new[] { "a", "b" })
        {
            var outDir = Path.Combine(_dir, run);
            var (code, _, error) = await RunAsync(Empty(), "train", "--transactions", tx, "--labels", lb, "--out", outDir,
                "--rounds", "10", "--no-register", "--no-announce");
            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "manifest.json")));
            hashes.Add(doc.RootElement.GetProperty("training").GetProperty("content_hash").GetString()!);
        }
        Assert.Equal(hashes[0], hashes[1]);
    }

    [Fact]
    public async Task Unreachable_postgres_exits_2_with_one_line_and_writes_nothing()
    {
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "out");
        var store = Path.Combine(_dir, "store");

        var (code, _, error) = await RunAsync(Empty(), "train", "--transactions", tx, "--labels", lb, "--out", outDir, "--store", store,
            "--pg", "Host=127.0.0.1;Port=1;Username=postgres;Database=fraud;Timeout=3");

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("postgres unavailable at 127.0.0.1:1/fraud", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Decline_fpr_above_review_fpr_is_refused()
    {
        var (tx, lb) = WriteHistory();
        var (code, _, error) = await RunAsync(Empty(), "train", "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, "o"),
            "--review-fpr", "0.001", "--decline-fpr", "0.01", "--no-register");
        Assert.Equal(1, code);
        Assert.Contains("--decline-fpr", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
