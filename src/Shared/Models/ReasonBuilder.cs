using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Verdict reasons: the features furthest from the model's training distribution, in standard deviations.
/// Cheap (no tree walk) and meaningful to an analyst: "amount 6σ above what the model was trained on".
/// </summary>
public static class ReasonBuilder
{
    public static IReadOnlyList<Reason> Top(LoadedModel model, ReadOnlySpan<float> features, int count)
    {
        Span<int> best = stackalloc int[count];
        Span<float> bestZ = stackalloc float[count];
        bestZ.Fill(-1f);
        best.Fill(-1);
        for (var i = 0; i < features.Length; i++)
        {
            // In double and saturated: a reference far from the feature (a manifest may hold any finite statistics)
            // would otherwise overflow float32 to infinity, which the verdict's JSON cannot carry.
            var z = (float)Math.Min(float.MaxValue, Math.Abs((double)features[i] - model.ReferenceMean[i]) / model.ReferenceStd[i]);
            for (var k = 0; k < count; k++)
            {
                if (z > bestZ[k])
                {
                    for (var m = count - 1; m > k; m--)
                    {
                        bestZ[m] = bestZ[m - 1];
                        best[m] = best[m - 1];
                    }
                    bestZ[k] = z;
                    best[k] = i;
                    break;
                }
            }
        }
        var names = model.Manifest.FeatureSpec.Features;
        var reasons = new List<Reason>(count);
        for (var k = 0; k < count && best[k] >= 0; k++)
        {
            reasons.Add(new Reason(names[best[k]], features[best[k]], MathF.Round(bestZ[k], 2)));
        }
        return reasons;
    }
}
