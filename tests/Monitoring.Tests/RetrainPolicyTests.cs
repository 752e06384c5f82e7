using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class RetrainPolicyTests
{
    private static readonly RetrainOptions Limits = new() { MaxFeaturePsi = 0.25, MaxScorePsi = 0.2, MaxUnseenRate = 0.05, MinWindowTransactions = 1000 };

    private static DriftWindow Window(long transactions, double amountPsi, double scorePsi = 0.01, double unseenCountry = 0) =>
        new(300, transactions, scorePsi, new Dictionary<string, double> { ["amount_log"] = amountPsi, ["hour_sin"] = 0.01, ["count_1h"] = 0.3 * amountPsi },
            new Dictionary<string, double> { ["country"] = unseenCountry, ["channel"] = 0 });

    [Fact]
    public void Drift_names_every_signal_over_its_limit_with_its_value_worst_first()
    {
        Assert.Null(RetrainPolicy.DriftBreach(Window(5000, 0.1), Limits));
        Assert.Equal("amount_log PSI 0.400 >= 0.25", RetrainPolicy.DriftBreach(Window(5000, 0.4), Limits));
        Assert.Equal("score PSI 0.300 >= 0.2, amount_log PSI 1.000 >= 0.25, count_1h PSI 0.300 >= 0.25 and 1 more",
            RetrainPolicy.DriftBreach(Window(5000, 1.0, scorePsi: 0.3, unseenCountry: 0.2), Limits));
        Assert.Equal("unseen country 10.0% >= 5.0%", RetrainPolicy.DriftBreach(Window(5000, 0.1, unseenCountry: 0.1), Limits));
    }

    [Fact]
    public void A_window_too_small_to_say_anything_is_no_drift()
    {
        Assert.Null(RetrainPolicy.DriftBreach(Window(999, 5.0, scorePsi: 5.0, unseenCountry: 1), Limits));
    }

    [Fact]
    public void Quality_limits_apply_only_when_set_and_over_a_matured_window_with_enough_frauds()
    {
        QualityRow Row(float score, Decision decision, bool fraud) => new(score, decision, 10, fraud, null);
        var rows = Enumerable.Range(0, 40).Select(i => Row(0.9f - (i * 0.01f), i < 10 ? Decision.Review : Decision.Approve, true))
            .Concat(Enumerable.Range(0, 400).Select(i => Row(0.5f - (i * 0.001f), Decision.Approve, false)))
            .ToList();
        var window = QualitySummary.Of(rows, matured: true);
        Assert.Equal(0.25, window.RecallReview);

        Assert.Null(RetrainPolicy.QualityBreach(window, new RetrainOptions()));
        Assert.Equal("recall at review 0.2500 < 0.5", RetrainPolicy.QualityBreach(window, new RetrainOptions { MinRecallAtReview = 0.5 }));
        Assert.Null(RetrainPolicy.QualityBreach(window, new RetrainOptions { MinRecallAtReview = 0.2, MinRocAuc = 0.9 }));
        Assert.Null(RetrainPolicy.QualityBreach(window, new RetrainOptions { MinRecallAtReview = 0.5, MinWindowFrauds = 41 }));
        Assert.Null(RetrainPolicy.QualityBreach(QualitySummary.Of(rows, matured: false), new RetrainOptions { MinRecallAtReview = 0.5 }));
    }
}
