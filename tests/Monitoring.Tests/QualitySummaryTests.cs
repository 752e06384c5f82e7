using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class QualitySummaryTests
{
    private static readonly QualityRow[] Rows =
    [
        new(0.95f, Decision.Decline, 500, true, "card_testing"),
        new(0.90f, Decision.Decline, 100, false, null),       // a false decline
        new(0.70f, Decision.Review, 300, true, "account_takeover"),
        new(0.60f, Decision.Review, 50, false, null),
        new(0.20f, Decision.Approve, 200, true, "card_testing"), // missed
        new(0.10f, Decision.Approve, 10, false, null),
        new(0.05f, Decision.Approve, 20, false, null),
        new(0.50f, Decision.Review, 999, null, null),          // not known yet
    ];

    [Fact]
    public void A_matured_day_gets_precision_recall_aucs_money_and_scenarios()
    {
        var q = QualitySummary.Of(Rows, matured: true);

        Assert.Equal((8L, 3L, 4L, 1L), (q.Transactions, q.KnownFraud, q.KnownGenuine, q.Unknown));
        Assert.Equal((5L, 2L, 2L), (q.ReviewFlagged, q.ReviewFraud, q.ReviewGenuine));
        Assert.Equal((2L, 1L, 1L), (q.DeclineFlagged, q.DeclineFraud, q.FalseDeclines));
        Assert.Equal(0.5, q.PrecisionReview);
        Assert.Equal(2.0 / 3, q.RecallReview!.Value, 12);
        Assert.Equal(0.5, q.PrecisionDecline);
        Assert.Equal(1.0 / 3, q.RecallDecline!.Value, 12);
        Assert.Equal(1000, q.FraudAmount);
        Assert.Equal(800, q.CaughtAmount);
        // Frauds at 0.95, 0.70, 0.20 against genuine 0.90, 0.60, 0.10, 0.05: 9 of 12 pairs ranked right.
        Assert.Equal(9.0 / 12, q.RocAuc!.Value, 12);
        Assert.NotNull(q.PrAuc);
        var cardTesting = q.Scenarios.Single(s => s.Scenario == "card_testing");
        Assert.Equal((2L, 1L, 1L, 700.0, 500.0), (cardTesting.Frauds, cardTesting.ReviewCaught, cardTesting.DeclineCaught, cardTesting.FraudAmount, cardTesting.CaughtAmount));
        Assert.Equal(1.0, q.Scenarios.Single(s => s.Scenario == "account_takeover").Recall);
    }

    [Fact]
    public void A_day_not_yet_matured_gets_recall_but_no_precision_or_auc()
    {
        var q = QualitySummary.Of(Rows, matured: false);

        Assert.Equal(2.0 / 3, q.RecallReview!.Value, 12);
        Assert.Null(q.PrecisionReview);
        Assert.Null(q.PrecisionDecline);
        Assert.Null(q.RocAuc);
        Assert.Null(q.PrAuc);
    }

    [Fact]
    public void Without_frauds_recall_and_aucs_are_undefined_not_zero()
    {
        var q = QualitySummary.Of([new(0.1f, Decision.Approve, 5, false, null), new(0.9f, Decision.Decline, 5, false, null)], matured: true);
        Assert.Null(q.RecallReview);
        Assert.Null(q.RocAuc);
        Assert.Equal(0.0, q.PrecisionDecline);
        Assert.Empty(q.Scenarios);
    }
}
