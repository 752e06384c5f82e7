using Dapper;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>The challenger in the registry, promotion on live labels, and the scheduled run answering retrain requests; each test has its own database.</summary>
public sealed class ChallengerAndScheduleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-schedule-").FullName;

    private static ModelManifest Manifest(string version, double auc) => new()
    {
        ModelName = "fraud-gbdt",
        Version = version,
        CreatedAt = DateTimeOffset.UtcNow,
        ArtifactUri = $"file:///models/{version}/model.onnx",
        ArtifactSha256 = new string('a', 64),
        FeatureSpec = new FeatureSpecInfo("card-v0", "0123456789abcdef", ["f0"]),
        Thresholds = new Thresholds(0.3f, 0.8f),
        Training = new TrainingLineage(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, 100, 5, $"hash-{version}", 20),
        Algorithm = "gbdt",
        Device = "cpu",
        CodeVersion = "test",
        Parameters = new Dictionary<string, string>(),
        Metrics = new ModelMetrics(auc, 0.5, 0.4),
        Reference = [new FeatureReference("f0", 0, 1, -1, 1)],
    };

    [PostgresFact]
    public async Task A_version_not_promoted_becomes_the_one_challenger_until_a_new_champion_ends_the_comparison()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = await PostgresAccess.OpenAsync(db.ConnectionString, CancellationToken.None);
        var registry = new ModelRegistry(dataSource);
        var ct = CancellationToken.None;

        Assert.True((await registry.RegisterAsync(Manifest("v1", 0.80), 0, ct, challenge: true)).IsChampion);
        var v2 = await registry.RegisterAsync(Manifest("v2", 0.70), 0, ct, challenge: true);
        Assert.True(v2.IsChallenger && !v2.IsChampion);
        var v3 = await registry.RegisterAsync(Manifest("v3", 0.75), 0, ct, challenge: true);
        Assert.Equal((true, "v2"), (v3.IsChallenger, v3.PreviousChallenger));
        Assert.False((await registry.RegisterAsync(Manifest("v3b", 0.74), 0, ct, challenge: false)).IsChallenger);
        Assert.Equal("v3", (await registry.GetChallengerAsync("fraud-gbdt", ct))!.Version);

        var v4 = await registry.RegisterAsync(Manifest("v4", 0.90), 0, ct, challenge: true);
        Assert.Equal((true, false, "v3"), (v4.IsChampion, v4.IsChallenger, v4.PreviousChallenger));
        Assert.Null(await registry.GetChallengerAsync("fraud-gbdt", ct));

        Assert.Equal("v2", (await registry.ChallengeAsync("fraud-gbdt", "v2", ct))!.Version);
        Assert.Contains("is the champion", (await Assert.ThrowsAsync<InvalidOperationException>(() => registry.ChallengeAsync("fraud-gbdt", "v4", ct))).Message,
            StringComparison.Ordinal);
        await registry.PromoteAsync("fraud-gbdt", "v2", ct);
        Assert.Null(await registry.GetChallengerAsync("fraud-gbdt", ct));
        Assert.Equal("v2", (await registry.GetChampionAsync("fraud-gbdt", ct))!.Version);
    }

    /// <summary>
    /// 200 transactions 40 to 60 days before the history's newest one (all matured), every tenth fraud: the champion v1
    /// ranks them at random, the challenger v2 (in shadow) perfectly.
    /// </summary>
    private static async Task SeedLiveAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var id = $"tx-{i}";
            var fraud = i % 10 == 0;
            var at = start.AddHours(i);
            await connection.ExecuteAsync("""
                INSERT INTO transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel)
                VALUES (@id, 'c', @at, 'm', 'grocery', 10, 'EUR', 'DE', 'pos');
                INSERT INTO verdicts (transaction_id, card_id, event_time, score, decision, model_version, scored_at, latency_ms)
                VALUES (@id, 'c', @at, @live, 'approve', 'v1', @at, 1);
                INSERT INTO shadow_verdicts (transaction_id, model_version, card_id, event_time, score, decision, scored_at)
                VALUES (@id, 'v2', 'c', @at, @shadow, 'approve', @at);
                """, new { id, at, live = (float)random.NextDouble(), shadow = fraud ? 0.9f : 0.1f });
            if (fraud)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO labels (transaction_id, card_id, is_fraud, labelled_at, source, first_fraud_at) VALUES (@id, 'c', true, @at, 'chargeback', @at)
                    """, new { id, at = at.AddDays(3) });
            }
        }
        await connection.ExecuteAsync("""
            INSERT INTO transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel)
            VALUES ('newest', 'c', @at, 'm', 'grocery', 10, 'EUR', 'DE', 'pos')
            """, new { at = start.AddDays(60) });
    }

    [PostgresFact]
    public async Task Promote_can_require_the_challenger_to_beat_the_champion_on_live_labels()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = await PostgresAccess.OpenAsync(db.ConnectionString, CancellationToken.None);
        var registry = new ModelRegistry(dataSource);
        await registry.RegisterAsync(Manifest("v1", 0.80), 0, CancellationToken.None);
        // v2's artifact lies in the configured store, intact: promote checks it before anything changes.
        var store = Path.Combine(_dir, "promote-store");
        var artifact = Path.Combine(store, "v2", ModelPackage.OnnxFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(artifact)!);
        File.WriteAllBytes(artifact, [1, 2, 3]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ModelStore:Folder"] = store }).Build();
        await registry.RegisterAsync(Manifest("v2", 0.70) with { ArtifactUri = new Uri(artifact).AbsoluteUri, ArtifactSha256 = ModelPackage.Sha256([1, 2, 3]) },
            0, CancellationToken.None, challenge: true);
        await registry.RegisterAsync(Manifest("v3", 0.70), 0, CancellationToken.None);
        await SeedLiveAsync(dataSource);

        var tooMuch = await TrainerCliRun.RunAsync("models", "promote", "v2", "--pg", db.ConnectionString, "--no-announce", "--require-live-margin", "0.95");
        Assert.Equal(1, tooMuch.Code);
        Assert.Matches(@"^error: v2 is not promoted: pr_auc 1\.0000 vs champion v1 0\.\d{4} on 200 matured live transactions \(20 frauds, as of .*\); it must beat the champion by 0\.95\n$",
            tooMuch.Error.ReplaceLineEndings("\n"));
        var unscored = await TrainerCliRun.RunAsync("models", "promote", "v3", "--pg", db.ConnectionString, "--no-announce", "--require-live-margin", "0");
        Assert.Equal(1, unscored.Code);
        Assert.Contains("no transaction both it (in shadow) and champion v1 scored has matured", unscored.Error, StringComparison.Ordinal);
        Assert.Equal("v1", (await registry.GetChampionAsync("fraud-gbdt", CancellationToken.None))!.Version);

        var promoted = await TrainerCliRun.RunAsync(configuration, "models", "promote", "v2", "--pg", db.ConnectionString, "--no-announce",
            "--require-live-margin", "0.2", "--live-metric", "roc_auc");
        Assert.True(promoted.Code == 0, promoted.Error);
        Assert.Contains("live labels: v2 roc_auc 1.0000 vs champion v1", promoted.Output, StringComparison.Ordinal);
        Assert.Equal("v2", (await registry.GetChampionAsync("fraud-gbdt", CancellationToken.None))!.Version);
    }

    [PostgresFact]
    public async Task A_scheduled_run_trains_when_due_or_asked_and_closes_the_request_with_the_version_it_produced()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(db.ConnectionString);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = db.ConnectionString,
            ["ModelStore:Kind"] = "folder",
            ["ModelStore:Folder"] = Path.Combine(_dir, "store"),
        }).Build();
        string[] Train(int seed, string outDir)
        {
            var (transactions, labels) = SyntheticHistory.Generate(seed, cards: 150, transactionsPerCard: 12);
            var tx = Path.Combine(_dir, $"tx-{seed}.jsonl");
            var lb = Path.Combine(_dir, $"labels-{seed}.jsonl");
            SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);
            return ["train", "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, outDir), "--rounds", "20", "--no-announce", "--schedule-hours", "24"];
        }

        var first = await TrainerCliRun.RunAsync(configuration, Train(1, "first"));
        Assert.True(first.Code == 0, first.Error + first.Output);
        Assert.Contains("[schedule] fraud-gbdt has no champion: training", first.Output, StringComparison.Ordinal);

        var notDue = await TrainerCliRun.RunAsync(configuration, Train(2, "not-due"));
        Assert.Equal(0, notDue.Code);
        Assert.Matches(@"\[schedule\] not due: champion v\S+ is 0\.0 h old, the schedule is every 24 h, and no retrain request is open", notDue.Output);
        Assert.DoesNotContain("trained model=", notDue.Output, StringComparison.Ordinal);

        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var requests = new RetrainRequestStore(dataSource);
        var request = await requests.RaiseAsync("fraud-gbdt", "v-serving", RetrainRequestRow.Drift, "amount_log PSI 0.900 >= 0.25", TimeSpan.Zero, CancellationToken.None);
        var asked = await TrainerCliRun.RunAsync(configuration, Train(2, "asked"));
        Assert.True(asked.Code == 0, asked.Error + asked.Output);
        Assert.Contains($"[schedule] retrain request #{request!.Id} (drift, raised ", asked.Output, StringComparison.Ordinal);
        Assert.Contains("amount_log PSI 0.900 >= 0.25; training now", asked.Output, StringComparison.Ordinal);
        var version = System.Text.RegularExpressions.Regex.Match(asked.Output, @"trained model=fraud-gbdt version=(\S+)").Groups[1].Value;
        Assert.Contains($"[schedule] retrain request #{request.Id} closed by {version}", asked.Output, StringComparison.Ordinal);
        Assert.Empty(await requests.OpenAsync("fraud-gbdt", CancellationToken.None));
        Assert.Equal(version, (await requests.RecentAsync("fraud-gbdt", 1, CancellationToken.None))[0].ClosedByVersion);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
