using System.Text.Json;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
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

    private static Task<(int Code, string Output, string Error)> RunAsync(IConfiguration configuration, params string[] args) =>
        TrainerCliRun.RunAsync(configuration, args);

    private static IConfiguration Empty() => new ConfigurationBuilder().Build();

    [Theory]
    [InlineData("gbdt")]
    [InlineData("lightgbm")]
    public async Task Train_from_files_writes_a_package_the_scorer_accepts(string algo)
    {
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "out");

        var (code, output, error) = await RunAsync(Empty(), "train", "--algo", algo, "--transactions", tx, "--labels", lb, "--out", outDir,
            "--rounds", "40", "--no-register", "--no-announce");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.True(File.Exists(Path.Combine(outDir, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(outDir, "manifest.json")));
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("ROC-AUC", report, StringComparison.Ordinal);
        Assert.Contains("decline (score ≥ decline)", report, StringComparison.Ordinal);

        using var model = LoadedModel.FromDirectory(outDir, FeatureSpec.CardEntityV1);
        var m = model.Manifest;
        Assert.Equal("fraud-gbdt", m.ModelName);
        Assert.Matches("^v[0-9]{14}-[0-9a-f]{6}$", m.Version);
        Assert.Equal(algo == "gbdt" ? "gbdt" : "lightgbm-mlnet", m.Algorithm);
        Assert.StartsWith("cpu", m.Device, StringComparison.Ordinal);
        // Without --device the trainer picks one and says why; the manifest records the one it used.
        Assert.Matches(algo == "gbdt"
            ? $@"\[train\] gbdt on {System.Text.RegularExpressions.Regex.Escape(m.Device)} \(auto: .*CUDA.*, so the CPU\): "
            : @"\[train\] lightgbm-mlnet on cpu \(ML\.NET LightGBM runs on the CPU only\): ", output);
        // The package's spec is the served one with the vocabularies learned from the training rows, hashed together.
        Assert.Equal(FeatureSpec.CardEntityV1.WithEncoding(FeatureEncoding.FromInfo(m.FeatureSpec.Encoding)).Hash, m.FeatureSpec.Hash);
        Assert.NotEqual(FeatureSpec.CardEntityV1.Hash, m.FeatureSpec.Hash);
        Assert.Equal(FeatureSpec.CardEntityV1.Count + EncodingLayout.FieldCount, m.Reference.Count);
        var vocabularies = m.FeatureSpec.Encoding!.Vocabularies.ToDictionary(v => v.Field, v => v.Values);
        Assert.Contains("ecommerce", vocabularies["channel"]); // the history says "online": aliases map to canonical names
        Assert.NotEmpty(vocabularies["merchant_category"]);
        Assert.Matches(@"\[vocabularies\] from \d+ training rows: channel \d+, merchant_category \d+, country \d+, currency \d+, email_domain \d+ values; 0 attributes", output);
        Assert.True(m.Thresholds.Review <= m.Thresholds.Decline);
        Assert.True(m.Training.WindowStart < m.Training.WindowEnd);
        Assert.True(m.Training.RowCount > 1000 && m.Training.FraudCount > 10 && m.Training.HoldoutRowCount > 200);
        Assert.True(m.Metrics.RocAuc > 0.8, $"auc {m.Metrics.RocAuc}");
        Assert.Equal("40", m.Parameters["rounds"]);
        Assert.Contains($"version={m.Version}", output, StringComparison.Ordinal);
        Assert.Contains("champion=false", output, StringComparison.Ordinal);
        Assert.Matches(@"trained model=fraud-gbdt version=\S+ rows=\d+ auc=0\.\d{4} pr_auc=\d\.\d{4} recall@1%fpr=\d\.\d{4} champion=false", output);

        // The drift reference: deciles of every feature and of the holdout's scores, and the categorical values seen.
        Assert.All(m.Reference, r => Assert.Equal(1.0, r.Bins!.Shares.Sum(), 6));
        var amount = m.Reference.Single(r => r.Feature == "amount_log").Bins!;
        Assert.Equal(9, amount.Edges.Count);
        Assert.All(amount.Shares, share => Assert.InRange(share, 0.09, 0.11));
        Assert.Equal(2, m.Reference.Single(r => r.Feature == "is_night").Bins!.Shares.Count);
        Assert.True(m.ScoreReference!.Edges.Count >= 5, $"score bins: {string.Join(", ", m.ScoreReference.Edges)}");
        Assert.Equal(1.0, m.ScoreReference.Shares.Sum(), 6);
        Assert.Equal(new[] { FeatureInputCodes.Online, FeatureInputCodes.Pos }.Order(), m.Categories!["channel"]);
        Assert.Equal(8, m.Categories["country"].Count);
        Assert.NotNull(Shared.Drift.DriftReference.For(m, out var missing));
        Assert.Null(missing);
    }

    private static class FeatureInputCodes
    {
        public static readonly int Pos = ChannelValue("pos");
        public static readonly int Online = ChannelValue("online");

        private static int ChannelValue(string channel)
        {
            Span<int> values = stackalloc int[Shared.Drift.CategoricalValues.Fields.Count];
            Shared.Drift.CategoricalValues.Of(new Shared.Contracts.Transaction
            {
                TransactionId = "t", EventTime = DateTimeOffset.UnixEpoch, CardId = "c", MerchantId = "m", MerchantCategory = "grocery",
                Amount = 1, Currency = "USD", Country = "US", Channel = channel,
            }, values);
            return values[0];
        }
    }

    [Fact]
    public async Task Train_gbdt_from_files_records_lineage_and_writes_report_with_plots_and_cost_thresholds()
    {
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "gbdt");

        var (code, output, error) = await RunAsync(Empty(), "train", "--algo", "gbdt", "--device", "cpu", "--transactions", tx, "--labels", lb,
            "--out", outDir, "--rounds", "30", "--max-depth", "4", "--early-stopping-rounds", "10", "--no-register");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        // The run itself fails when ONNX Runtime and the GBDT disagree by more than 1e-5 on a holdout row.
        var export = System.Text.RegularExpressions.Regex.Match(output, @"max \|ONNX - gbdt\| on (\d+) holdout rows = (\S+) in");
        Assert.True(export.Success, output);
        Assert.True(double.Parse(export.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) <= 1e-5);
        Assert.Matches(@"\[train\] round 1/30 \| train logloss", output);

        using var model = LoadedModel.FromDirectory(outDir, FeatureSpec.CardEntityV1);
        var m = model.Manifest;
        Assert.Equal("gbdt", m.Algorithm);
        Assert.StartsWith("cpu", m.Device, StringComparison.Ordinal);
        Assert.Equal("4", m.Parameters["max_depth"]);
        Assert.Equal("10", m.Parameters["early_stopping_rounds"]);
        Assert.Equal("cost", m.Parameters["thresholds"]);
        Assert.Equal("200", m.Parameters["cost_missed_fraud"]);
        Assert.False(m.Parameters.ContainsKey("threads"));
        Assert.False(m.Parameters.ContainsKey("device"));
        Assert.Equal(64, m.Training.ContentHash.Length);
        Assert.True(m.Thresholds.Review <= m.Thresholds.Decline && m.Thresholds.Review > 0, $"review {m.Thresholds.Review} decline {m.Thresholds.Decline}");
        Assert.True(m.Metrics.RocAuc > 0.8, $"auc {m.Metrics.RocAuc}");

        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        foreach (var plot in new[] { "roc.png", "pr.png", "calibration.png" })
        {
            Assert.Contains($"]({plot})", report, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(outDir, plot)).Length > 5_000, plot);
        }
        Assert.Contains("Brier score", report, StringComparison.Ordinal);
        Assert.Contains("expected cost per transaction", report, StringComparison.Ordinal);
        Assert.Contains("validation (early stopping, thresholds)", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fpr_thresholds_are_still_available()
    {
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "fpr");
        var (code, output, error) = await RunAsync(Empty(), "train", "--transactions", tx, "--labels", lb, "--out", outDir,
            "--rounds", "10", "--thresholds", "fpr", "--no-register");
        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "manifest.json")));
        var parameters = doc.RootElement.GetProperty("parameters");
        Assert.Equal("fpr", parameters.GetProperty("thresholds").GetString());
        Assert.Equal("0.02", parameters.GetProperty("review_fpr").GetString());
        Assert.Contains("at FPR 0.02", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cuda_without_a_gpu_fails_with_one_line_and_its_own_exit_code()
    {
        if (File.Exists("/dev/nvidiactl"))
        {
            return; // a GPU machine: CUDA may well train here; the failure path is for machines without one
        }
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "cuda");
        var (code, _, error) = await RunAsync(Empty(), "train", "--device", "cuda", "--transactions", tx, "--labels", lb, "--out", outDir,
            "--rounds", "5", "--no-register");
        Assert.Equal(ExitCodes.DeviceUnavailable, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: --device cuda:", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, "model.onnx")));
    }

    [Fact]
    public async Task Threads_do_not_change_the_content_hash_but_gbdt_parameters_do()
    {
        var (tx, lb) = WriteHistory();
        async Task<string> HashAsync(string run, params string[] extra)
        {
            var outDir = Path.Combine(_dir, run);
            var (code, _, error) = await RunAsync(Empty(), ["train", "--transactions", tx, "--labels", lb, "--out", outDir, "--rounds", "5", "--no-register", .. extra]);
            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "manifest.json")));
            return doc.RootElement.GetProperty("training").GetProperty("content_hash").GetString()!;
        }
        var baseline = await HashAsync("t-all");
        Assert.Equal(baseline, await HashAsync("t-one", "--threads", "1", "--device", "cpu"));
        Assert.NotEqual(baseline, await HashAsync("t-depth", "--max-depth", "3"));
        Assert.NotEqual(baseline, await HashAsync("t-lgbm", "--algo", "lightgbm"));
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
    public async Task Unreachable_postgres_exits_4_with_one_line_and_writes_nothing()
    {
        var (tx, lb) = WriteHistory();
        var outDir = Path.Combine(_dir, "out");
        var store = Path.Combine(_dir, "store");

        var (code, _, error) = await RunAsync(Empty(), "train", "--transactions", tx, "--labels", lb, "--out", outDir, "--store", store,
            "--pg", "Host=127.0.0.1;Port=1;Username=postgres;Database=fraud;Timeout=3");

        Assert.Equal(ExitCodes.PostgresUnavailable, code);
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
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--decline-fpr", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
