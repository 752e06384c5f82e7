using Fraud.Streaming.Testing;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Npgsql;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>Against a real Postgres named by FRAUD_PG (an Npgsql connection string); each test uses its own model name.</summary>
public sealed class RegistryIntegrationTests
{
    private static Task<string> ConnectionStringAsync() => PostgresServer.GetConnectionStringAsync();

    private static ModelManifest Manifest(string model, string version, string contentHash, double auc) => new()
    {
        ModelName = model,
        Version = version,
        CreatedAt = DateTimeOffset.UtcNow,
        ArtifactUri = $"file:///models/{model}/{version}/model.onnx",
        ArtifactSha256 = new string('a', 64),
        FeatureSpec = new FeatureSpecInfo("card-v0", "0123456789abcdef", ["f0"]),
        Thresholds = new Thresholds(0.3f, 0.8f),
        Training = new TrainingLineage(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, 100, 5, contentHash, 20),
        Algorithm = "lightgbm-mlnet",
        Device = "cpu",
        CodeVersion = "test",
        Parameters = new Dictionary<string, string> { ["rounds"] = "10" },
        Metrics = new ModelMetrics(auc, 0.5, 0.4),
        Reference = [new FeatureReference("f0", 0, 1, -1, 1)],
    };

    private static async Task<ModelRegistry> RegistryAsync()
    {
        var dataSource = await PostgresAccess.OpenAsync(await ConnectionStringAsync(), CancellationToken.None);
        return new ModelRegistry(dataSource);
    }

    [PostgresFact]
    public async Task Same_content_registers_once_and_better_models_become_champion()
    {
        var registry = await RegistryAsync();
        var model = $"it-{Guid.NewGuid():N}"[..16];

        var first = await registry.RegisterAsync(Manifest(model, "v1", "hash-1", 0.80), 0.0, CancellationToken.None);
        Assert.True(first.Registered && first.IsChampion);

        var again = await registry.RegisterAsync(Manifest(model, "v1b", "hash-1", 0.99), 0.0, CancellationToken.None);
        Assert.False(again.Registered);
        Assert.Equal("v1", again.Version);

        var worse = await registry.RegisterAsync(Manifest(model, "v2", "hash-2", 0.79), 0.0, CancellationToken.None);
        Assert.True(worse.Registered);
        Assert.False(worse.IsChampion);

        var smallGain = await registry.RegisterAsync(Manifest(model, "v3", "hash-3", 0.805), 0.01, CancellationToken.None);
        Assert.False(smallGain.IsChampion);

        var better = await registry.RegisterAsync(Manifest(model, "v4", "hash-4", 0.85), 0.01, CancellationToken.None);
        Assert.True(better.IsChampion);
        Assert.Equal("v1", better.PreviousChampion);

        var rows = await registry.ListAsync(model, CancellationToken.None);
        Assert.Equal(["v4", "v3", "v2", "v1"], rows.Select(r => r.Version));
        Assert.Single(rows, r => r.Status == ModelVersionRow.Champion);
        var stored = ContractJson.DeserializeManifest(System.Text.Encoding.UTF8.GetBytes(rows[0].Manifest));
        Assert.Equal("v4", stored.Version);
    }

    [PostgresFact]
    public async Task Promotion_compares_the_champion_on_the_challengers_holdout_and_a_tie_goes_to_the_newer_version()
    {
        var registry = await RegistryAsync();
        var model = $"it-{Guid.NewGuid():N}"[..16];
        await registry.RegisterAsync(Manifest(model, "v1", "h1", 0.95), 0, CancellationToken.None);

        // Lower than v1's stored figure, but v1 scores worse on v2's (newer) holdout: v2 wins.
        var v2 = await registry.RegisterAsync(Manifest(model, "v2", "h2", 0.90), 0, CancellationToken.None, new ChampionComparison("v1", 0.88));
        Assert.True(v2.IsChampion);
        Assert.Equal("v1", v2.PreviousChampion);

        // Equal on the same holdout: the newer model, trained on more recent data, takes over.
        Assert.True((await registry.RegisterAsync(Manifest(model, "v3", "h3", 0.93), 0, CancellationToken.None, new ChampionComparison("v2", 0.93))).IsChampion);

        // The margin applies to the same-holdout figure.
        Assert.False((await registry.RegisterAsync(Manifest(model, "v4", "h4", 0.935), 0.01, CancellationToken.None, new ChampionComparison("v3", 0.93))).IsChampion);

        // A measurement of a version that is no longer champion is ignored: the stored figure (0.93) decides.
        Assert.False((await registry.RegisterAsync(Manifest(model, "v5", "h5", 0.92), 0, CancellationToken.None, new ChampionComparison("v1", 0.5))).IsChampion);
        Assert.Equal("v3", (await registry.GetChampionAsync(model, CancellationToken.None))!.Version);
    }

    [PostgresFact]
    public async Task Promote_and_rollback_move_the_champion()
    {
        var registry = await RegistryAsync();
        var model = $"it-{Guid.NewGuid():N}"[..16];
        await registry.RegisterAsync(Manifest(model, "v1", "h1", 0.8), 0, CancellationToken.None);
        await registry.RegisterAsync(Manifest(model, "v2", "h2", 0.9), 0, CancellationToken.None);
        await registry.RegisterAsync(Manifest(model, "v3", "h3", 0.7), 0, CancellationToken.None);
        Assert.Equal("v2", (await registry.GetChampionAsync(model, CancellationToken.None))!.Version);

        await registry.PromoteAsync(model, "v3", CancellationToken.None);
        Assert.Equal("v3", (await registry.GetChampionAsync(model, CancellationToken.None))!.Version);

        Assert.Equal("v2", (await registry.RollbackAsync(model, CancellationToken.None)).Version);
        Assert.Equal("v1", (await registry.RollbackAsync(model, CancellationToken.None)).Version);
        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.RollbackAsync(model, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.PromoteAsync(model, "v9", CancellationToken.None));
    }

    [PostgresFact]
    public async Task Train_gbdt_registers_once_from_postgres_history_and_a_rerun_on_another_device_or_thread_count_adds_no_duplicate()
    {
        var model = $"it-{Guid.NewGuid():N}"[..16];
        var (transactions, labels) = SyntheticHistory.Generate(seed: 5, cards: 200, transactionsPerCard: 12);
        // A database of its own, so the history tables of whatever FRAUD_PG points at stay untouched.
        var database = $"trainer_it_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(await ConnectionStringAsync()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync()) { Database = database, Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            Fraud.Streaming.Shared.Postgres.SchemaMigrator.Apply(connectionString);
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel, device_id) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var t in transactions)
                {
                    await writer.WriteRowAsync(default, t.TransactionId, t.CardId, t.EventTime.UtcDateTime, t.MerchantId, t.MerchantCategory,
                        t.Amount, t.Currency, t.Country, t.Channel, t.DeviceId);
                }
                await writer.CompleteAsync();
            }
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY labels (transaction_id, card_id, is_fraud, labelled_at, source) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var l in labels)
                {
                    await writer.WriteRowAsync(default, l.TransactionId, l.CardId, l.IsFraud, l.LabelledAt.UtcDateTime, l.Source);
                }
                await writer.CompleteAsync();
            }
        }

        var dir = Directory.CreateTempSubdirectory("trainer-it-").FullName;
        try
        {
            var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
            string[] args = ["train", "--pg", connectionString, "--model-name", model, "--out", Path.Combine(dir, "out"),
                "--store", Path.Combine(dir, "store"), "--algo", "gbdt", "--rounds", "20", "--no-announce"];
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(0, await TrainerCli.Build(config, output, error).Parse(args).InvokeAsync());
            Assert.Contains("champion=true", output.ToString(), StringComparison.Ordinal);

            using var output2 = new StringWriter();
            // Device and threads do not change the model, so they are not part of the content hash.
            Assert.Equal(0, await TrainerCli.Build(config, output2, error).Parse([.. args, "--device", "cpu", "--threads", "1"]).InvokeAsync());
            Assert.Contains("already registered", output2.ToString(), StringComparison.Ordinal);

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var rows = await new ModelRegistry(dataSource).ListAsync(model, CancellationToken.None);
            Assert.Single(rows);
            Assert.StartsWith("file://", rows[0].ArtifactUri, StringComparison.Ordinal);
            var bytes = await new ArtifactFetcher(new ModelStoreOptions { Folder = Path.Combine(dir, "store") }).FetchAsync(rows[0].ArtifactUri, CancellationToken.None);
            Assert.Equal(rows[0].ArtifactSha256, ModelPackage.Sha256(bytes));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            await using var admin = new NpgsqlConnection(await ConnectionStringAsync());
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
