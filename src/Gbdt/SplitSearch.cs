namespace Fraud.Streaming.Gbdt;

/// <summary>Split rules every backend applies the same way (the ILGPU kernel mirrors <see cref="BestOnFeature"/>).</summary>
internal static class SplitSearch
{
    /// <summary>
    /// Scans the value bins left to right: left = bins ≤ b, right = the rest plus the missing bin. Ties keep the lowest bin.
    /// </summary>
    public static SplitCandidate BestOnFeature(ReadOnlySpan<long> hist, int numBins, long totalG, long totalH, in SplitParams p)
    {
        var best = new SplitCandidate { Gain = 0, Bin = -1 };
        var g = totalG * p.InvScaleG;
        var h = totalH * p.InvScaleH;
        long gl = 0, hl = 0;
        for (var b = 0; b < numBins; b++)
        {
            gl += hist[2 * b];
            hl += hist[(2 * b) + 1];
            var hlD = hl * p.InvScaleH;
            var hrD = (totalH - hl) * p.InvScaleH;
            if (hlD < p.MinChildWeight || hrD < p.MinChildWeight || hl == 0 || hl == totalH)
            {
                continue;
            }
            var gain = KernelMath.Gain(gl * p.InvScaleG, hlD, g, h, p.Lambda);
            if (gain > best.Gain)
            {
                best.Gain = gain;
                best.Bin = b;
                best.LeftG = gl;
                best.LeftH = hl;
            }
        }
        return best;
    }

    /// <summary>The best over features: strictly greater gain wins, so ties keep the lowest feature index.</summary>
    public static (int Feature, SplitCandidate Split) BestOverFeatures(ReadOnlySpan<SplitCandidate> perFeature, double minSplitGain)
    {
        var feature = -1;
        var best = new SplitCandidate { Gain = minSplitGain, Bin = -1 };
        for (var f = 0; f < perFeature.Length; f++)
        {
            if (perFeature[f].Bin >= 0 && perFeature[f].Gain > best.Gain)
            {
                best = perFeature[f];
                feature = f;
            }
        }
        return (feature, best);
    }
}

/// <summary>Constants of one round's split search.</summary>
internal readonly record struct SplitParams(double InvScaleG, double InvScaleH, double Lambda, double MinChildWeight);
