using System.Diagnostics;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class DriftMonitorTests
{
    private static readonly DriftOptions Options = new() { WindowSeconds = 100, WindowSlots = 10, RetainedDays = 400 };
    private static readonly long Second = Stopwatch.Frequency;

    /// <summary>The test model with a drift reference taken from <paramref name="reference"/> traffic, as the trainer takes it from its rows.</summary>
    internal static LoadedModel ModelWithReference(IReadOnlyList<Transaction> reference, string version = "v-drift")
    {
        var spec = TestModels.Loaded.Spec;
        var columns = Enumerable.Range(0, spec.Count).Select(_ => new List<float>()).ToArray();
        var scores = new List<float>();
        Score(TestModels.Loaded, reference, batch =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var row = batch.FeaturesAt(i);
                for (var f = 0; f < row.Length; f++)
                {
                    columns[f].Add(row[f]);
                }
                scores.Add(batch.ScoreAt(i));
            }
        });
        Span<int> values = stackalloc int[3];
        var seen = CategoricalValues.Fields.Select(_ => new SortedSet<int>()).ToArray();
        foreach (var t in reference)
        {
            CategoricalValues.Of(t, values);
            for (var c = 0; c < 3; c++)
            {
                seen[c].Add(values[c]);
            }
        }
        var onnx = TestModels.Onnx(1);
        var manifest = TestModels.Manifest(version, onnx, $"file:///models/{version}/model.onnx") with
        {
            Reference = spec.Names.Select((name, f) => new FeatureReference(name, 0f, 1f, 0f, 1f) { Bins = QuantileBins.Of(columns[f].ToArray()) }).ToArray(),
            ScoreReference = QuantileBins.Of(scores.ToArray()),
            Categories = CategoricalValues.Fields.Select((field, c) => (field, c)).ToDictionary(p => p.field, p => (IReadOnlyList<int>)seen[p.c].ToList()),
        };
        return LoadedModel.Create(manifest, onnx, spec);
    }

    /// <summary>Scores the transactions in batches with a fresh card state, handing each scored batch to <paramref name="observe"/>.</summary>
    internal static void Score(LoadedModel model, IReadOnlyList<Transaction> transactions, Action<BatchScorer> observe)
    {
        var scorer = new BatchScorer(256, entities: TestEntities.Complete(transactions));
        foreach (var t in transactions)
        {
            scorer.Add(t, DateTimeOffset.UtcNow);
            if (scorer.IsFull)
            {
                Flush();
            }
        }
        Flush();

        void Flush()
        {
            scorer.Score(model, DateTimeOffset.UtcNow);
            observe(scorer);
            scorer.Clear();
        }
    }

    private static DriftReport Observe(DriftMonitor monitor, LoadedModel model, IReadOnlyList<Transaction> traffic, long at)
    {
        Score(model, traffic, batch => monitor.Observe(model, batch, at));
        return monitor.Report(at, DateTimeOffset.UtcNow).Single();
    }

    [Fact]
    public void Traffic_like_the_reference_shows_no_drift()
    {
        using var model = ModelWithReference(TestData.Transactions(4000, cards: 200, seed: 1));
        var report = Observe(new DriftMonitor(Options, "test"), model, TestData.Transactions(4000, cards: 200, seed: 2), 1000 * Second);

        Assert.Equal(4000, report.Window.Transactions);
        Assert.All(report.Window.FeaturePsi, p => Assert.True(p.Value < 0.1, $"{p.Key}: PSI {p.Value:F3}"));
        Assert.True(report.Window.ScorePsi < 0.1, $"score PSI {report.Window.ScorePsi:F3}");
        Assert.All(report.Window.UnseenRate, r => Assert.Equal(0, r.Value));
    }

    [Fact]
    public void Larger_amounts_and_a_new_country_raise_the_amount_and_score_indexes_and_the_unseen_rate_only()
    {
        using var model = ModelWithReference(TestData.Transactions(4000, cards: 200, seed: 1));
        var shifted = TestData.Transactions(4000, cards: 200, seed: 2)
            .Select((t, i) => t with { Amount = Math.Round(t.Amount * 20, 2), Country = i % 4 == 0 ? "NG" : t.Country })
            .ToList();

        var report = Observe(new DriftMonitor(Options, "test"), model, shifted, 1000 * Second);

        Assert.True(report.Window.FeaturePsi["amount_log"] > 0.25, $"amount_log PSI {report.Window.FeaturePsi["amount_log"]:F3}");
        Assert.True(report.Window.ScorePsi > 0.25, $"score PSI {report.Window.ScorePsi:F3}");
        Assert.True(report.Window.FeaturePsi["hour_sin"] < 0.1, $"hour_sin PSI {report.Window.FeaturePsi["hour_sin"]:F3}");
        Assert.Equal(0.25, report.Window.UnseenRate[CategoricalValues.Country], 2);
        Assert.Equal(0, report.Window.UnseenRate[CategoricalValues.Channel]);
    }

    [Fact]
    public void Day_counts_cover_every_transaction_once_and_are_reported_when_they_change()
    {
        using var model = ModelWithReference(TestData.Transactions(2000, cards: 100, seed: 1));
        var monitor = new DriftMonitor(Options, "test");
        var traffic = TestData.Transactions(3000, cards: 100, seed: 4);

        var report = Observe(monitor, model, traffic, 10 * Second);

        var byDay = traffic.GroupBy(t => DateOnly.FromDateTime(t.EventTime.UtcDateTime)).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(byDay, report.Days.ToDictionary(d => d.Day, d => d.Transactions));
        Assert.All(report.Days, d =>
        {
            Assert.Equal(d.Transactions, d.ScoreCounts.Sum());
            Assert.All(d.FeatureCounts.Values, bins => Assert.Equal(d.Transactions, bins.Sum()));
        });
        Assert.Equal("v-drift", report.ModelVersion);
        // Nothing new since: the next report has the window but no day.
        Assert.Empty(monitor.Report(11 * Second, DateTimeOffset.UtcNow).Single().Days);
    }

    [Fact]
    public void The_window_forgets_what_was_scored_longer_ago_than_its_length()
    {
        using var model = ModelWithReference(TestData.Transactions(2000, cards: 100, seed: 1));
        var monitor = new DriftMonitor(Options, "test");
        Score(model, TestData.Transactions(1000, cards: 100, seed: 5), batch => monitor.Observe(model, batch, 0));
        Score(model, TestData.Transactions(500, cards: 100, seed: 6), batch => monitor.Observe(model, batch, 50 * Second));

        Assert.Equal(1500, monitor.Report(60 * Second, DateTimeOffset.UtcNow).Single().Window.Transactions);
        Assert.Equal(500, monitor.Report(105 * Second, DateTimeOffset.UtcNow).Single().Window.Transactions);
        Assert.Equal(0, monitor.Report(200 * Second, DateTimeOffset.UtcNow).Single().Window.Transactions);
    }

    [Fact]
    public void A_swap_reports_the_old_models_days_and_restarts_the_window_in_the_new_models_bins()
    {
        using var first = ModelWithReference(TestData.Transactions(2000, cards: 100, seed: 1), "v-first");
        using var second = ModelWithReference(TestData.Transactions(2000, cards: 100, seed: 7), "v-second");
        var monitor = new DriftMonitor(Options, "test");
        Score(first, TestData.Transactions(800, cards: 100, seed: 5), batch => monitor.Observe(first, batch, 0));
        Score(second, TestData.Transactions(300, cards: 100, seed: 6), batch => monitor.Observe(second, batch, Second));

        var reports = monitor.Report(2 * Second, DateTimeOffset.UtcNow);

        Assert.Equal(["v-first", "v-second"], reports.Select(r => r.ModelVersion));
        Assert.Equal(800, reports[0].Days.Sum(d => d.Transactions));
        Assert.Equal(300, reports[1].Window.Transactions);
        Assert.Equal(300, reports[1].Days.Sum(d => d.Transactions));
    }

    [Fact]
    public void A_model_without_a_binned_reference_is_served_without_drift()
    {
        var monitor = new DriftMonitor(Options, "test");
        Assert.Null(TestModels.Loaded.Drift);
        Assert.Contains("no binned reference", TestModels.Loaded.DriftUnavailable, StringComparison.Ordinal);
        Score(TestModels.Loaded, TestData.Transactions(100), batch => monitor.Observe(TestModels.Loaded, batch, 0));
        Assert.Empty(monitor.Report(Second, DateTimeOffset.UtcNow));
    }
}
