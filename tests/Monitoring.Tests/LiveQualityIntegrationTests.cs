using System.Globalization;
using Confluent.Kafka;
using Dapper;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Monitoring.Signals;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Tests;

/// <summary>
/// Live quality against a real Postgres: 40 days of history, 50 transactions a day, 5 of them fraud (reported two days
/// later), scored live by v1 (catches 4 of 5 frauds, reviews 5 genuine) and in shadow by v2 (catches all, reviews none).
/// The history's clock is its last transaction, so days 0-8 are matured (30-day window) and the rest are not.
/// </summary>
public sealed class LiveQualityIntegrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Days = 40;
    private const int PerDay = 50;
    private readonly PostgresTestDatabase _db = new();
    private readonly KafkaTestTopics _topics = new("quality");
    private NpgsqlDataSource _dataSource = null!;
    private string _bootstrap = null!;

    public async Task InitializeAsync()
    {
        if (SkipReasons.Stack is not null)
        {
            return;
        }
        await _db.InitializeAsync();
        _bootstrap = await KafkaServer.GetBootstrapServersAsync();
        SchemaMigrator.Apply(_db.ConnectionString);
        _dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
        var batch = new List<HistoryMessage>();
        var shadow = new List<Verdict>();
        for (var day = 0; day < Days; day++)
        {
            for (var i = 0; i < PerDay; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"tx-{day:D2}-{i:D2}");
                var at = Start.AddDays(day).AddMinutes(i * 20);
                var fraud = i % 10 == 0;
                batch.Add(Samples.Message(Samples.Transaction(id) with { EventTime = at, Amount = fraud ? 100 : 10 }, batch.Count));
                var liveScore = fraud ? (i == 0 ? 0.3f : 0.8f) : (i % 10 == 5 ? 0.6f : 0.1f);
                batch.Add(Samples.Message(Verdict(id, at, "v1", liveScore), batch.Count));
                shadow.Add(Verdict(id, at, "v2", fraud ? 0.9f : 0.05f));
                if (fraud)
                {
                    batch.Add(Samples.Message(Samples.Label(id, fraud: true, at.AddDays(2)), batch.Count));
                }
            }
        }
        new HistoryWriter(_dataSource).Write(HistoryRows.From(batch));
        await new ShadowVerdictWriter(_dataSource).WriteAsync(shadow, CancellationToken.None);
    }

    private static Verdict Verdict(string id, DateTimeOffset at, string version, float score) => Samples.Verdict(id) with
    {
        EventTime = at,
        ModelVersion = version,
        Score = score,
        Decision = score >= 0.7f ? Decision.Decline : score >= 0.5f ? Decision.Review : Decision.Approve,
    };

    private (QualityService Service, RetrainRequester Requester) Service(RetrainOptions? retrain = null)
    {
        var kafka = new KafkaOptions { BootstrapServers = _bootstrap, RetrainRequestsTopic = _topics.Name("retrain") };
        var requester = new RetrainRequester(new RetrainRequestStore(_dataSource), Options.Create(kafka), Options.Create(retrain ?? new RetrainOptions()),
            NullLogger<RetrainRequester>.Instance);
        var service = new QualityService(Options.Create(new QualityOptions { MaturityDays = 30, WindowDays = 7 }), new QualityReader(_dataSource),
            new QualityWriter(_dataSource), new RetrainPolicy(Options.Create(retrain ?? new RetrainOptions()), requester), requester,
            NullLogger<QualityService>.Instance);
        return (service, requester);
    }

    private async Task<dynamic> DayAsync(string source, string version, int day)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync(
            "SELECT * FROM quality_daily WHERE source = @source AND model_version = @version AND day = CAST(@day AS date)",
            new { source, version, day = Start.AddDays(day).DateTime });
    }

    [StackFact]
    public async Task A_pass_computes_every_day_for_the_live_model_and_the_challenger()
    {
        var (service, requester) = Service();
        using var _ = requester;

        await service.PassAsync(CancellationToken.None);

        await using var connection = await _dataSource.OpenConnectionAsync();
        // The first pass after a start covers the matured window (days 2-8) and every younger day, for both models.
        Assert.Equal(2 * (Days - 2), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM quality_daily"));
        // A matured day: every outcome known (the unreported as genuine).
        var matured = await DayAsync("live", "v1", 3);
        Assert.True((bool)matured.matured);
        Assert.Equal((5L, 45L, 0L), ((long)matured.known_fraud, (long)matured.known_genuine, (long)matured.unknown));
        Assert.Equal(0.8, (double)matured.recall_review, 12);
        Assert.Equal(4.0 / 9, (double)matured.precision_review, 12);
        Assert.Equal((9L, 5L, 4L, 0L), ((long)matured.review_flagged, (long)matured.review_genuine, (long)matured.decline_flagged, (long)matured.false_declines));
        Assert.Equal(500.0, (double)matured.fraud_amount);
        Assert.Equal(400.0, (double)matured.caught_amount);
        Assert.NotNull(matured.roc_auc);
        var challenger = await DayAsync("shadow", "v2", 3);
        Assert.Equal(1.0, (double)challenger.recall_review);
        Assert.Equal(1.0, (double)challenger.roc_auc);
        // A young day: its reported frauds are known, its genuine ones are not yet, so no precision.
        var young = await DayAsync("live", "v1", 20);
        Assert.False((bool)young.matured);
        Assert.Equal((5L, 0L, 45L), ((long)young.known_fraud, (long)young.known_genuine, (long)young.unknown));
        Assert.Null(young.precision_review);
        Assert.Equal(0.8, (double)young.recall_review, 12);
        // The last two days' reports are not in yet (they come two days later): nothing known.
        Assert.Equal(50L, (long)(await DayAsync("live", "v1", Days - 1)).unknown);
        var scenario = await connection.QuerySingleAsync(
            "SELECT frauds, review_caught FROM quality_scenario_daily WHERE source = 'live' AND day = CAST(@day AS date)", new { day = Start.AddDays(3).DateTime });
        Assert.Equal((5L, 4L), ((long)scenario.frauds, (long)scenario.review_caught));

        // The gauges: the matured window (7 days) of each model, side by side.
        Assert.Equal(0.8, MonitoringMetrics.QualityRecall.WithLabels("v1", "live", "review").Value, 12);
        Assert.Equal(1.0, MonitoringMetrics.QualityRecall.WithLabels("v2", "shadow", "review").Value, 12);
        Assert.Equal(35, MonitoringMetrics.QualityFrauds.WithLabels("v1", "live").Value);
        Assert.True(MonitoringMetrics.QualityRocAuc.WithLabels("v2", "shadow").Value > MonitoringMetrics.QualityRocAuc.WithLabels("v1", "live").Value);
    }

    [StackFact]
    public async Task A_late_report_recomputes_its_day_at_the_next_pass()
    {
        var (service, requester) = Service();
        using var _ = requester;
        await service.PassAsync(CancellationToken.None);
        Assert.Equal(45L, (long)(await DayAsync("live", "v1", 2)).known_genuine);

        // A genuine-looking transaction of day 2 is reported as fraud 35 days later.
        new HistoryWriter(_dataSource).Write(HistoryRows.From(Batch(Samples.Label("tx-02-05", fraud: true, Start.AddDays(37)))));
        await service.PassAsync(CancellationToken.None);

        var day = await DayAsync("live", "v1", 2);
        Assert.Equal((6L, 44L), ((long)day.known_fraud, (long)day.known_genuine));
        Assert.Equal(5.0 / 6, (double)day.recall_review, 12);
    }

    [StackFact]
    public async Task Quality_below_its_limit_raises_one_retrain_request_recorded_and_announced()
    {
        var topic = _topics.Name("retrain");
        await KafkaTestTopics.EnsureCreatedAsync(_bootstrap, topic);
        var (service, requester) = Service(new RetrainOptions { MinRecallAtReview = 0.9, MinWindowFrauds = 20 });
        using var _ = requester;

        await service.PassAsync(CancellationToken.None);
        await service.PassAsync(CancellationToken.None);

        var open = await new RetrainRequestStore(_dataSource).OpenAsync("fraud-gbdt", CancellationToken.None);
        var request = Assert.Single(open);
        Assert.Equal(("v1", RetrainRequestRow.Quality), (request.ModelVersion, request.Trigger));
        Assert.Equal("recall at review 0.8000 < 0.9 over the matured window (35 frauds, 315 genuine)", request.Reason);
        Assert.Equal(1, MonitoringMetrics.RetrainRequestOpen.Value);
        var announced = ReadOne(topic);
        Assert.Equal(request.Id, announced.RequestId);
        Assert.Equal(request.Reason, announced.Reason);
    }

    [StackFact]
    public async Task The_report_shows_both_models_by_day_with_plots()
    {
        var (service, requester) = Service();
        using var _ = requester;
        await service.PassAsync(CancellationToken.None);
        var dir = Directory.CreateTempSubdirectory("monitoring-report-").FullName;
        try
        {
            var (code, output, error) = await ReportAsync("report", "--pg", _db.ConnectionString, "--days", "60", "--out", dir);

            Assert.True(code == 0, error);
            Assert.Equal($"wrote report.md, recall.png, pr_auc.png to {dir}", output.Trim());
            var report = await File.ReadAllTextAsync(Path.Combine(dir, "report.md"));
            Assert.Contains("As of 2026-02-09 16:20:00Z", report, StringComparison.Ordinal);
            Assert.Contains("### v1 (live: its decisions)", report, StringComparison.Ordinal);
            Assert.Contains("### v2 (shadow: the challenger, scored beside them)", report, StringComparison.Ordinal);
            Assert.Contains("| 2026-01-04 | 50 | 5 | 45 | 0 | 0.8000 | 0.4444 | 0.8000 | 1.0000 | 0 |", report, StringComparison.Ordinal);
            // Days 2-37 have their reports in (the first pass covers days 2-39): 36 x 5 frauds, 4 of 5 caught.
            Assert.Contains("| v1 | live | card_testing | 180 | 0.8000 | 0.8000 |", report, StringComparison.Ordinal);
            Assert.Contains("![recall](recall.png)", report, StringComparison.Ordinal);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(dir, "recall.png"))[..4]);

            var printed = await ReportAsync("report", "--pg", _db.ConnectionString);
            Assert.Equal(0, printed.Code);
            Assert.StartsWith("# Model monitoring: fraud-gbdt", printed.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("2026-01-04", printed.Output, StringComparison.Ordinal); // 30 days by default
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_database_is_one_line_and_exit_code_2()
    {
        var (code, output, error) = await ReportAsync("report", "--pg", "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: cannot read the monitoring tables: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static async Task<(int Code, string Output, string Error)> ReportAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new System.CommandLine.RootCommand
        {
            Fraud.Streaming.Monitoring.Report.ReportCommand.Build(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), output, error),
        };
        var code = await root.Parse(args).InvokeAsync();
        return (code, output.ToString(), error.ToString());
    }

    private static List<HistoryMessage> Batch(Label label) => [Samples.Message(label, 1_000_000)];

    private RetrainRequest ReadOne(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _bootstrap,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = true,
        }).Build();
        consumer.Subscribe(topic);
        var result = consumer.Consume(TimeSpan.FromSeconds(20)) ?? throw new TimeoutException($"nothing on {topic}");
        return ContractJson.DeserializeRetrainRequest(result.Message.Value);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        await _db.DisposeAsync();
    }
}
