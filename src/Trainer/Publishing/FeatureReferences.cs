using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>
/// The drift reference: per feature the training rows' mean, standard deviation, min, max and quantile bins
/// (<see cref="QuantileBins"/>), and the score's bins.
/// </summary>
internal static class FeatureReferences
{
    /// <summary>Quantiles come from at most this many rows (evenly spaced through the window): plenty for deciles, and bounded.</summary>
    private const int MaxBinningRows = 200_000;

    public static IReadOnlyList<FeatureReference> Compute(FeatureTable train, IReadOnlyList<string> names)
    {
        var f = train.FeatureCount;
        var result = new FeatureReference[f];
        var step = Math.Max(1, (train.RowCount + MaxBinningRows - 1) / MaxBinningRows);
        var sample = new float[(train.RowCount + step - 1) / step];
        for (var j = 0; j < f; j++)
        {
            double mean = 0, m2 = 0;
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            for (var i = 0; i < train.RowCount; i++)
            {
                var x = train.Features[(i * f) + j];
                var delta = x - mean;
                mean += delta / (i + 1);
                m2 += delta * (x - mean);
                min = MathF.Min(min, x);
                max = MathF.Max(max, x);
                if (i % step == 0)
                {
                    sample[i / step] = x;
                }
            }
            var std = train.RowCount > 1 ? Math.Sqrt(m2 / (train.RowCount - 1)) : 0;
            result[j] = new FeatureReference(names[j], (float)mean, (float)std, min, max) { Bins = QuantileBins.Of(sample) };
        }
        return result;
    }

    /// <summary>The bins of the scores the exported model gave the holdout: the newest labelled rows, which it never trained on.</summary>
    public static BinnedDistribution Score(float[] holdoutScores) => QuantileBins.Of(holdoutScores.ToArray());
}
