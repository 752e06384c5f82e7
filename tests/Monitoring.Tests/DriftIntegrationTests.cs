using Dapper;
using Fraud.Streaming.Monitoring.Drift;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class DriftIntegrationTests
{
    private static readonly DateOnly Day = new(2026, 2, 3);
    private static readonly double[] Quarters = [0.25, 0.25, 0.25, 0.25];

    private static ModelManifest Manifest(string version) => new()
    {
        ModelName = "fraud-gbdt",
        Version = version,
        CreatedAt = DateTimeOffset.UtcNow,
        ArtifactUri = $"file:///models/{version}/model.onnx",
        ArtifactSha256 = new string('a', 64),
        FeatureSpec = new FeatureSpecInfo("test", "0000", ["a", "b"]),
        Thresholds = new Thresholds(0.5f, 0.8f),
        Training = new TrainingLineage(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 100, 5, $"hash-{version}", 20),
        Algorithm = "gbdt",
        Device = "cpu",
        CodeVersion = "test",
        Parameters = new Dictionary<string, string>(),
        Metrics = new ModelMetrics(0.9, 0.5, 0.5),
        Reference = [Reference("a"), Reference("b")],
        ScoreReference = new BinnedDistribution([0.1f, 0.2f, 0.3f], Quarters),
        Categories = new Dictionary<string, IReadOnlyList<int>> { ["channel"] = [0, 2] },
    };

    private static FeatureReference Reference(string name) => new(name, 0, 1, 0, 1) { Bins = new BinnedDistribution([1f, 2f, 3f], Quarters) };

    private static DriftReport Report(string source, string version, long[] a, long unseenChannel, DateTimeOffset? at = null, double amountPsi = 0) => new()
    {
        Source = source,
        ModelVersion = version,
        ReportedAt = at ?? DateTimeOffset.UtcNow,
        Window = new DriftWindow(300, 5000, 0.01, new Dictionary<string, double> { ["a"] = amountPsi, ["b"] = 0 }, new Dictionary<string, double>()),
        Days = [new DriftDay(Day, a.Sum(), [a.Sum(), 0, 0, 0], new Dictionary<string, IReadOnlyList<long>> { ["a"] = a, ["b"] = [10, 10, 10, 10] },
            new Dictionary<string, long> { ["channel"] = unseenChannel })],
    };

    [PostgresFact]
    public async Task Daily_indexes_are_over_every_scorers_counts_and_a_repeated_report_changes_nothing()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(db.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await new ModelRegistry(dataSource).RegisterAsync(Manifest("v1"), 0, CancellationToken.None);
        var store = new DriftStore(dataSource, new ReferenceCache(), NullLogger<DriftStore>.Instance);

        await store.WriteAsync(Report("scorer-1", "v1", [70, 10, 10, 10], unseenChannel: 4), CancellationToken.None);
        await store.WriteAsync(Report("scorer-2", "v1", [30, 10, 10, 50], unseenChannel: 6), CancellationToken.None);
        await store.WriteAsync(Report("scorer-2", "v1", [30, 10, 10, 50], unseenChannel: 6), CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var daily = (await connection.QueryAsync<(string Signal, string Name, double Value, long Transactions)>(
            "SELECT signal, name, value, transactions FROM drift_daily WHERE model_version = 'v1'")).ToDictionary(r => (r.Signal, r.Name));
        Assert.Equal(Psi.Of(Quarters, [100, 20, 20, 60]), daily[("feature_psi", "a")].Value, 12);
        Assert.Equal(0, daily[("feature_psi", "b")].Value, 12);
        Assert.Equal(200, daily[("feature_psi", "a")].Transactions);
        Assert.Equal(0.05, daily[("unseen_rate", "channel")].Value, 12);
        Assert.Equal(Psi.Of(Quarters, [200, 0, 0, 0]), daily[("score_psi", "score")].Value, 12);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM drift_counts"));
    }

    [PostgresFact]
    public async Task An_older_report_never_replaces_a_newer_one_and_an_unregistered_version_keeps_only_its_counts()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(db.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var store = new DriftStore(dataSource, new ReferenceCache(), NullLogger<DriftStore>.Instance);
        var now = DateTimeOffset.UtcNow;

        await store.WriteAsync(Report("scorer-1", "v-folder", [5, 5, 5, 5], 0, now), CancellationToken.None);
        await store.WriteAsync(Report("scorer-1", "v-folder", [1, 1, 1, 1], 0, now.AddSeconds(-10)), CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(20, await connection.ExecuteScalarAsync<long>("SELECT transactions FROM drift_counts"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM drift_daily"));
    }

    [StackFact]
    public async Task Drift_reported_in_a_row_raises_one_request_and_a_cooldown_keeps_the_same_version_from_asking_again()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(db.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var topics = new KafkaTestTopics("drift-retrain");
        var options = Options.Create(new RetrainOptions { ConsecutiveReports = 3, MaxFeaturePsi = 0.25, MinWindowTransactions = 1000 });
        var requests = new RetrainRequestStore(dataSource);
        using var requester = new RetrainRequester(requests, Options.Create(new KafkaOptions
        {
            BootstrapServers = await KafkaServer.GetBootstrapServersAsync(),
            RetrainRequestsTopic = topics.Name("retrain"),
        }), options, NullLogger<RetrainRequester>.Instance);
        var policy = new RetrainPolicy(options, requester);
        async Task Reports(string version, params double[] psi)
        {
            foreach (var value in psi)
            {
                await policy.OnDriftAsync(Report("scorer-1", version, [1, 1, 1, 1], 0, amountPsi: value), CancellationToken.None);
            }
        }

        await Reports("v1", 0.4, 0.4, 0.1, 0.4, 0.4);
        Assert.Empty(await requests.OpenAsync("fraud-gbdt", CancellationToken.None)); // never three in a row

        await Reports("v1", 0.4, 0.5, 0.6);
        var request = Assert.Single(await requests.OpenAsync("fraud-gbdt", CancellationToken.None));
        Assert.StartsWith("a PSI 0.400 >= 0.25 over the last 300 s (5000 transactions, 3 reports in a row from scorer-1)", request.Reason, StringComparison.Ordinal);
        Assert.Equal((RetrainRequestRow.Drift, "v1"), (request.Trigger, request.ModelVersion));

        await Reports("v1", 0.7, 0.7, 0.7);
        Assert.Single(await requests.OpenAsync("fraud-gbdt", CancellationToken.None)); // one open at a time

        Assert.Equal(1, await requests.CloseAsync([request.Id], "v2", CancellationToken.None));
        await Reports("v1", 0.7, 0.7, 0.7);
        Assert.Empty(await requests.OpenAsync("fraud-gbdt", CancellationToken.None)); // v1 still serves (v2 not promoted): cooling down
        await Reports("v2", 0.7, 0.7, 0.7);
        Assert.Equal("v2", Assert.Single(await requests.OpenAsync("fraud-gbdt", CancellationToken.None)).ModelVersion);
        var closed = (await requests.RecentAsync("fraud-gbdt", 10, CancellationToken.None)).Single(r => r.Id == request.Id);
        Assert.Equal("v2", closed.ClosedByVersion);
    }
}
