namespace Fraud.Streaming.Gbdt;

/// <summary>Split rules every backend applies the same way (the ILGPU kernels run <see cref="GainOfLeft"/> on each bin too).</summary>
internal static class SplitSearch
{
    /// <summary>
    /// Scans the value bins left to right: left = bins ≤ b, right = the rest plus the missing bin. Ties keep the lowest bin.
    /// </summary>
    public static SplitCandidate BestOnFeature(ReadOnlySpan<long> hist, int feature, int numBins, long totalG, long totalH, SplitParams p)
    {
        var o = default(PlainFloatOps);
        var best = SplitCandidate.None(0);
        var g = o.Mul(totalG, p.InvScaleG);
        var h = o.Mul(totalH, p.InvScaleH);
        long gl = 0, hl = 0;
        for (var b = 0; b < numBins; b++)
        {
            gl += hist[2 * b];
            hl += hist[(2 * b) + 1];
            var gain = GainOfLeft<PlainFloatOps>(gl, hl, totalH, g, h, p);
            if (gain > best.Gain)
            {
                best = new SplitCandidate { Gain = gain, Feature = feature, Bin = b, LeftG = gl, LeftH = hl };
            }
        }
        return best;
    }

    /// <summary>
    /// The gain of sending the rows with integer sums (<paramref name="gl"/>, <paramref name="hl"/>) left and the rest right,
    /// or 0 (never chosen: a split needs a positive gain) when a side is empty or lighter than the minimum child weight.
    /// </summary>
    public static double GainOfLeft<TOps>(long gl, long hl, long totalH, double g, double h, SplitParams p)
        where TOps : struct, IFloatOps
    {
        var o = default(TOps);
        var hlD = o.Mul(hl, p.InvScaleH);
        var hrD = o.Mul(totalH - hl, p.InvScaleH);
        if (hlD < p.MinChildWeight || hrD < p.MinChildWeight || hl == 0 || hl == totalH)
        {
            return 0;
        }
        return KernelMath.Gain<TOps>(o.Mul(gl, p.InvScaleG), hlD, g, h, p.Lambda);
    }

    /// <summary>
    /// The best over features: a gain above <see cref="SplitParams.MinSplitGain"/>, strictly greater wins, so ties keep the
    /// lowest feature index; <see cref="SplitCandidate.Feature"/> = -1 when no feature qualifies.
    /// </summary>
    public static SplitCandidate BestOverFeatures(ReadOnlySpan<SplitCandidate> perFeature, double minSplitGain)
    {
        var best = SplitCandidate.None(minSplitGain);
        foreach (var candidate in perFeature)
        {
            if (candidate.Bin >= 0 && candidate.Gain > best.Gain)
            {
                best = candidate;
            }
        }
        return best;
    }
}
