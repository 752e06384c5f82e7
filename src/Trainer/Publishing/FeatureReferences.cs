using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>Per-feature mean, standard deviation, min and max over the training rows: the drift reference.</summary>
internal static class FeatureReferences
{
    public static IReadOnlyList<FeatureReference> Compute(FeatureTable train, IReadOnlyList<string> names)
    {
        var f = train.FeatureCount;
        var result = new FeatureReference[f];
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
            }
            var std = train.RowCount > 1 ? Math.Sqrt(m2 / (train.RowCount - 1)) : 0;
            result[j] = new FeatureReference(names[j], (float)mean, (float)std, min, max);
        }
        return result;
    }
}
