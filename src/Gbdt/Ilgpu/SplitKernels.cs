using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// Device code of the split search: the same rule as <see cref="SplitSearch"/>, computed in parallel. Prefix sums of the
/// integer histograms are exact in any grouping, each bin's gain is <see cref="SplitSearch.GainOfLeft"/> on the same
/// integers, and the reductions keep the highest gain with the lowest bin (then the lowest feature) among equals, as the
/// sequential scans do.
/// </summary>
internal static class SplitKernels
{
    /// <summary>
    /// One group per (node, feature): each thread takes a run of consecutive bins, the group's exclusive prefix sum gives
    /// each run its left sums, each thread scans its run, and a reduction over the threads picks the group's best.
    /// </summary>
    /// <param name="totals">per node: the integer sums of g and h.</param>
    /// <param name="allowed">per feature: 1 when the tree may split on it.</param>
    public static void BestPerFeature<TOps>(ArrayView<long> hist, ArrayView<long> totals, ArrayView<long> allowed, ArrayView<int> numBins,
        ArrayView<SplitCandidate> candidates, SplitParams p, int featureCount)
        where TOps : struct, IFloatOps
    {
        var sumsG = SharedMemory.Allocate<long>(DeviceLayout.MaxGroupSize);
        var sumsH = SharedMemory.Allocate<long>(DeviceLayout.MaxGroupSize);
        var leftsG = SharedMemory.Allocate<long>(DeviceLayout.MaxGroupSize);
        var leftsH = SharedMemory.Allocate<long>(DeviceLayout.MaxGroupSize);
        var gains = SharedMemory.Allocate<double>(DeviceLayout.MaxGroupSize);
        var bins = SharedMemory.Allocate<int>(DeviceLayout.MaxGroupSize);
        var item = Grid.IdxX;
        var node = item / featureCount;
        var f = item - (node * featureCount);
        var t = Group.IdxX;
        if (allowed[f] == 0)
        {
            if (t == 0)
            {
                candidates[item] = SplitCandidate.None(0);
            }
            return; // the whole group: the feature is not sampled for this tree
        }
        var offset = (((long)node * featureCount) + f) * DeviceLayout.HistCells;
        var run = (BinnedData.BinStride + Group.DimX - 1) / Group.DimX;
        var from = t * run;
        var to = from + run < numBins[f] ? from + run : numBins[f];
        long runG = 0, runH = 0;
        for (var b = from; b < to; b++)
        {
            runG += hist[offset + (2 * b)];
            runH += hist[offset + (2 * b) + 1];
        }
        var (gl, hl) = DeviceGroup.ExclusiveSum(sumsG, sumsH, runG, runH);
        var o = default(TOps);
        var totalG = totals[2 * node];
        var totalH = totals[(2 * node) + 1];
        var g = o.Mul(totalG, p.InvScaleG);
        var h = o.Mul(totalH, p.InvScaleH);
        var best = SplitCandidate.None(0);
        for (var b = from; b < to; b++)
        {
            gl += hist[offset + (2 * b)];
            hl += hist[offset + (2 * b) + 1];
            var gain = SplitSearch.GainOfLeft<TOps>(gl, hl, totalH, g, h, p);
            if (gain > best.Gain)
            {
                best = new SplitCandidate { Gain = gain, Feature = f, Bin = b, LeftG = gl, LeftH = hl };
            }
        }
        gains[t] = best.Gain;
        bins[t] = best.Bin;
        leftsG[t] = best.LeftG;
        leftsH[t] = best.LeftH;
        Group.Barrier();
        // Thread t's bins all come before thread t + step's: on equal gains the lower thread, so the lower bin, stays.
        for (var step = 1; step < Group.DimX; step <<= 1)
        {
            if ((t & ((2 * step) - 1)) == 0 && t + step < Group.DimX && gains[t + step] > gains[t])
            {
                gains[t] = gains[t + step];
                bins[t] = bins[t + step];
                leftsG[t] = leftsG[t + step];
                leftsH[t] = leftsH[t + step];
            }
            Group.Barrier();
        }
        if (t == 0)
        {
            candidates[item] = bins[0] < 0
                ? SplitCandidate.None(0)
                : new SplitCandidate { Gain = gains[0], Feature = f, Bin = bins[0], LeftG = leftsG[0], LeftH = leftsH[0] };
        }
    }

    /// <summary>One thread per node: <see cref="SplitSearch.BestOverFeatures"/> over its candidates, with the node's row count.</summary>
    public static void BestPerNode(Index1D node, ArrayView<SplitCandidate> candidates, ArrayView<int> segments, ArrayView<NodeBest> best,
        double minSplitGain, int featureCount)
    {
        var result = SplitCandidate.None(minSplitGain);
        for (var f = 0; f < featureCount; f++)
        {
            var candidate = candidates[(node * featureCount) + f];
            if (candidate.Bin >= 0 && candidate.Gain > result.Gain)
            {
                result = candidate;
            }
        }
        best[node] = new NodeBest { Split = result, Rows = segments[(2 * node) + 1] };
    }
}
