using Fraud.Streaming.Trainer.Evaluation;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class CalibrationTests
{
    [Fact]
    public void Brier_deciles_and_ece_on_a_known_case()
    {
        // 20 rows, two per decile: decile k (1-based) holds two rows scoring 0.1·k − 0.05 and 0.1·k − 0.05 + 0.01,
        // one of the pair fraud in deciles 6..10, none before.
        var scores = new List<float>();
        var labels = new List<bool>();
        for (var k = 1; k <= 10; k++)
        {
            scores.Add((0.1f * k) - 0.05f);
            labels.Add(false);
            scores.Add((0.1f * k) - 0.04f);
            labels.Add(k >= 6);
        }

        var c = CalibrationReport.Compute(scores.ToArray(), labels.ToArray());

        Assert.Equal(10, c.Deciles.Count);
        Assert.All(c.Deciles, b => Assert.Equal(2, b.Count));
        for (var k = 1; k <= 10; k++)
        {
            var bin = c.Deciles[k - 1];
            Assert.Equal(k, bin.Decile);
            Assert.Equal((0.1 * k) - 0.045, bin.MeanPredicted, 5);
            Assert.Equal(k >= 6 ? 0.5 : 0.0, bin.ObservedRate, 9);
        }
        var expectedBrier = scores.Select((s, i) => Math.Pow(s - (labels[i] ? 1.0 : 0.0), 2)).Average();
        Assert.Equal(expectedBrier, c.Brier, 6);
        var expectedEce = Enumerable.Range(1, 10).Select(k => Math.Abs((0.1 * k) - 0.045 - (k >= 6 ? 0.5 : 0.0))).Average();
        Assert.Equal(expectedEce, c.ExpectedCalibrationError, 5);
    }

    [Fact]
    public void Perfect_and_hopeless_predictions_sit_at_the_ends()
    {
        bool[] labels = [true, false, true, false, false, false, true, false, false, false];
        var perfect = CalibrationReport.Compute(labels.Select(l => l ? 1f : 0f).ToArray(), labels);
        Assert.Equal(0, perfect.Brier, 12);
        Assert.Equal(0, perfect.ExpectedCalibrationError, 12);
        var hopeless = CalibrationReport.Compute(labels.Select(l => l ? 0f : 1f).ToArray(), labels);
        Assert.Equal(1, hopeless.Brier, 12);
        Assert.Equal(1, hopeless.ExpectedCalibrationError, 12);
    }

    [Fact]
    public void Fewer_rows_than_deciles_leave_no_empty_bins()
    {
        var c = CalibrationReport.Compute([0.2f, 0.9f, 0.4f], [false, true, false]);
        Assert.Equal(3, c.Deciles.Sum(b => b.Count));
        Assert.All(c.Deciles, b => Assert.True(b.Count > 0));
        Assert.Equal([0.2f, 0.4f, 0.9f], c.Deciles.Select(b => b.MinScore));
    }
}
