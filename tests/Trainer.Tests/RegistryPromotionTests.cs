using Dapper;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>
/// The registry's champion history: rollback returns to the champion before the current one (by <c>promoted_at</c>),
/// promote checks the stored artifact before anything changes, and a champion that was never announced is announced,
/// signed, by the next trainer run.
/// </summary>
public sealed class RegistryPromotionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("registry-promotion-").FullName;

    [PostgresFact]
    public async Task Rollback_returns_to_the_champion_before_the_current_one_whatever_order_versions_were_promoted_in()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = await PostgresAccess.OpenAsync(database.ConnectionString, CancellationToken.None);
        var registry = new ModelRegistry(dataSource);
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            await registry.RegisterAsync(Manifest("m", version, new string('a', 64)), 0, CancellationToken.None);
        }
        // Promoted out of creation order: v3, then v1, then v2.
        await registry.PromoteAsync("m", "v3", CancellationToken.None);
        await registry.PromoteAsync("m", "v1", CancellationToken.None);
        await registry.PromoteAsync("m", "v2", CancellationToken.None);

        Assert.Equal("v1", (await registry.RollbackAsync("m", CancellationToken.None)).Version);
        Assert.Equal("v3", (await registry.RollbackAsync("m", CancellationToken.None)).Version);
        var champion = await registry.GetChampionAsync("m", CancellationToken.None);
        Assert.Equal("v3", champion!.Version);
        Assert.Null(champion.AnnouncedAt); // restored, and waiting to be announced
    }

    [PostgresFact]
    public async Task Promote_refuses_a_version_whose_stored_artifact_does_not_match_and_changes_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var store = Path.Combine(_dir, "store");
        var artifact = Path.Combine(store, "m", "v2", ModelPackage.OnnxFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(artifact)!);
        File.WriteAllBytes(artifact, [1, 2, 3]);
        await using (var dataSource = await PostgresAccess.OpenAsync(database.ConnectionString, CancellationToken.None))
        {
            var registry = new ModelRegistry(dataSource);
            await registry.RegisterAsync(Manifest("m", "v1", new string('a', 64)), 0, CancellationToken.None);
            await registry.RegisterAsync(Manifest("m", "v2", ModelPackage.Sha256([1, 2, 3]), new Uri(artifact).AbsoluteUri) with { Metrics = new ModelMetrics(0.1, 0.1, 0.1) }, 0, CancellationToken.None);
        }
        File.WriteAllBytes(artifact, [6, 6, 6]); // altered in the store after registration
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ModelStore:Folder"] = store }).Build();

        var (code, _, error) = await TrainerCliRun.RunAsync(configuration, "models", "promote", "v2", "--pg", database.ConnectionString, "--model-name", "m", "--no-announce");

        Assert.Equal(ExitCodes.StoreFailed, code);
        Assert.Contains("sha_mismatch", error, StringComparison.Ordinal);
        Assert.DoesNotContain(ModelPackage.Sha256([6, 6, 6]), error, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        Assert.Equal("v1", await connection.ExecuteScalarAsync<string>("SELECT version FROM model_versions WHERE status = 'champion'"));
    }

    [StackFact]
    public async Task A_champion_registered_but_never_announced_is_announced_signed_by_the_next_run()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("announce");
        await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topics.Name("models"));
        var (transactions, labels) = SyntheticHistory.Generate(seed: 9, cards: 150, transactionsPerCard: 10);
        var tx = Path.Combine(_dir, "tx.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:ModelsTopic"] = topics.Name("models"),
            ["Signing:PrivateKeyFile"] = TestSigning.PrivateKeyFile,
        }).Build();
        string[] train = ["train", "--transactions", tx, "--labels", lb, "--pg", database.ConnectionString, "--store", Path.Combine(_dir, "store"),
            "--out", Path.Combine(_dir, "out"), "--rounds", "10"];

        var first = await TrainerCliRun.RunAsync(configuration, [.. train, "--no-announce"]);
        Assert.True(first.Code == ExitCodes.Ok, first.Error);
        Assert.Empty(TopicReader.ReadAll(bootstrap, topics.Name("models"), 1, TimeSpan.FromSeconds(3)));

        var second = await TrainerCliRun.RunAsync(configuration, train);
        Assert.True(second.Code == ExitCodes.Ok, second.Error);
        Assert.Contains("was registered but never announced; announcing it now", second.Output, StringComparison.Ordinal);
        var announcement = Assert.Single(TopicReader.ReadAll(bootstrap, topics.Name("models"), 1, TimeSpan.FromSeconds(30)));
        var trust = TrustedKeys.From(new TrustOptions { PublicKeyFiles = [TestSigning.PublicKeyFile] });
        Assert.Equal(SignatureCheck.Trusted, trust.Check(announcement.Message.Value, announcement.Message.Headers));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        Assert.NotNull(await connection.ExecuteScalarAsync<DateTime?>("SELECT announced_at FROM model_versions WHERE status = 'champion'"));

        // Nothing pending any more: a third run announces nothing new.
        Assert.Equal(ExitCodes.Ok, (await TrainerCliRun.RunAsync(configuration, train)).Code);
        Assert.Single(TopicReader.ReadAll(bootstrap, topics.Name("models"), 2, TimeSpan.FromSeconds(3)));
    }

    private static ModelManifest Manifest(string model, string version, string sha, string? uri = null) => new()
    {
        ModelName = model,
        Version = version,
        CreatedAt = DateTimeOffset.UtcNow,
        ArtifactUri = uri ?? $"file:///models/{model}/{version}/model.onnx",
        ArtifactSha256 = sha,
        FeatureSpec = new FeatureSpecInfo("card-v0", "0123456789abcdef", ["f0"]),
        Thresholds = new Thresholds(0.3f, 0.8f),
        Training = new TrainingLineage(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, 100, 5, $"hash-{version}", 20),
        Algorithm = "test",
        Device = "cpu",
        CodeVersion = "test",
        Parameters = new Dictionary<string, string>(),
        Metrics = new ModelMetrics(0.9, 0.5, 0.4),
        Reference = [new FeatureReference("f0", 0, 1, -1, 1)],
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
