using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>
/// The drift reference: per feature the mean, standard deviation, min, max and quantile bins (<see cref="QuantileBins"/>)
/// of the run's labelled rows (train, validation and holdout: the whole window the model was built and judged on, so
/// serving traffic like it reads as no drift even where features grow with history, as counts do), and the score's bins.
/// </summary>
internal static class FeatureReferences
{
    /// <summary>Quantiles come from at most this many rows (evenly spaced through the window): plenty for deciles, and bounded.</summary>
    private const int MaxBinningRows = 200_000;

    public static IReadOnlyList<FeatureReference> Compute(FeatureTable rows, IReadOnlyList<string> names)
    {
        var f = rows.FeatureCount;
        var result = new FeatureReference[f];
        var step = Math.Max(1, (rows.RowCount + MaxBinningRows - 1) / MaxBinningRows);
        var sample = new float[(rows.RowCount + step - 1) / step];
        for (var j = 0; j < f; j++)
        {
            double mean = 0, m2 = 0;
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            for (var i = 0; i < rows.RowCount; i++)
            {
                var x = rows.Features[(i * f) + j];
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
            var std = rows.RowCount > 1 ? Math.Sqrt(m2 / (rows.RowCount - 1)) : 0;
            result[j] = new FeatureReference(names[j], (float)mean, (float)std, min, max) { Bins = QuantileBins.Of(sample) };
        }
        return result;
    }

    /// <summary>The bins of the scores the exported model gave the holdout: the newest labelled rows, which it never trained on.</summary>
    public static BinnedDistribution Score(float[] holdoutScores) => QuantileBins.Of(holdoutScores.ToArray());
}
