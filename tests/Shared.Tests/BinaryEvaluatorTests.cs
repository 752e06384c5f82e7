using Fraud.Streaming.Shared.Quality;

namespace Fraud.Streaming.Shared.Tests;

public sealed class BinaryEvaluatorTests
{
    [Fact]
    public void Perfect_separation_has_auc_and_average_precision_one()
    {
        var e = new BinaryEvaluator([0.9f, 0.8f, 0.3f, 0.1f], [true, true, false, false]);
        Assert.Equal(1.0, e.RocAuc(), 12);
        Assert.Equal(1.0, e.AveragePrecision(), 12);
        Assert.Equal(1.0, e.RecallAtFpr(0.0), 12);
    }

    [Fact]
    public void Reversed_ranking_has_auc_zero()
    {
        var e = new BinaryEvaluator([0.1f, 0.2f, 0.8f, 0.9f], [true, true, false, false]);
        Assert.Equal(0.0, e.RocAuc(), 12);
        // Positives come last: precision 1/3 at the first and 2/4 at the second, each half the recall.
        Assert.Equal((0.5 / 3) + (0.5 * 0.5), e.AveragePrecision(), 12);
    }

    [Fact]
    public void Tied_scores_count_half_and_form_one_step()
    {
        var all = new BinaryEvaluator([0.5f, 0.5f, 0.5f, 0.5f], [true, false, true, false]);
        Assert.Equal(0.5, all.RocAuc(), 12);
        Assert.Equal(0.5, all.AveragePrecision(), 12);

        // pos {0.8, 0.5}, neg {0.5, 0.2}: pairs (0.8>0.5)=1, (0.8>0.2)=1, (0.5=0.5)=0.5, (0.5>0.2)=1 → 3.5/4.
        var some = new BinaryEvaluator([0.8f, 0.5f, 0.5f, 0.2f], [true, true, false, false]);
        Assert.Equal(0.875, some.RocAuc(), 12);
        // Steps: {0.8}: recall 0.5, precision 1; {0.5,0.5}: recall +0.5 at precision 2/3.
        Assert.Equal(0.5 + (0.5 * 2 / 3.0), some.AveragePrecision(), 12);
    }

    [Fact]
    public void Threshold_at_fpr_flags_no_more_negatives_than_allowed()
    {
        var scores = Enumerable.Range(0, 100).Select(i => i / 100f).Append(0.995f).ToArray();
        var labels = Enumerable.Repeat(false, 100).Append(true).ToArray();
        var e = new BinaryEvaluator(scores, labels);

        var t = e.ThresholdAtFpr(0.02);
        var at = e.At(t);
        Assert.Equal(2, at.FalsePositives); // 0.98 and 0.99 flagged, 0.97 not
        Assert.True(t > 0.97f && t <= 0.98f);
        Assert.Equal(1, at.TruePositives);
        Assert.Equal(0, e.At(e.ThresholdAtFpr(0.0)).FalsePositives);
        Assert.True(e.ThresholdAtFpr(0.002) >= e.ThresholdAtFpr(0.02));
    }

    [Fact]
    public void A_single_class_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new BinaryEvaluator([0.1f, 0.2f], [false, false]));
    }
}
