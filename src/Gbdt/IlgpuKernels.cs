using ILGPU;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// Device code of <see cref="IlgpuBackend"/>. Histogram sums are integer atomics, so their result does not depend on
/// the order the device adds them in; floating-point work uses <see cref="KernelMath"/>, as the managed backend does.
/// </summary>
internal static class IlgpuKernels
{
    public const int HistPerFeature = BinnedData.BinStride * 2;

    /// <summary>Logloss gradients of one row (zero outside the round's sample) and the running maxima as ordered bits.</summary>
    public static void Gradients(Index1D row, ArrayView<double> margin, ArrayView<byte> labels, ArrayView<double> g, ArrayView<double> h,
        ArrayView<ulong> maxBits, double positiveWeight, int seed, int round, ulong cutoff)
    {
        if (cutoff != ulong.MaxValue && !KernelMath.RowSampled(seed, round, row, cutoff))
        {
            g[row] = 0;
            h[row] = 0;
            return;
        }
        var p = KernelMath.Sigmoid(margin[row]);
        var positive = labels[row] != 0;
        var w = positive ? positiveWeight : 1.0;
        var gv = w * (p - (positive ? 1.0 : 0.0));
        var hv = w * p * (1.0 - p);
        g[row] = gv;
        h[row] = hv;
        // Non-negative doubles order as their bit patterns do.
        Atomic.Max(ref maxBits[0], Interop.FloatAsInt(gv < 0 ? -gv : gv));
        Atomic.Max(ref maxBits[1], Interop.FloatAsInt(hv));
    }

    public static void Quantize(Index1D row, ArrayView<double> g, ArrayView<double> h, ArrayView<int> gq, ArrayView<int> hq, double scaleG, double scaleH)
    {
        gq[row] = (int)KernelMath.Quantize(g[row], scaleG);
        hq[row] = (int)KernelMath.Quantize(h[row], scaleH);
    }

    /// <summary>One (feature, row) pair: bins are column-major, so neighbouring threads read neighbouring bytes.</summary>
    public static void Histogram(Index1D item, ArrayView<byte> bins, ArrayView<int> nodeOfRow, ArrayView<int> build,
        ArrayView<int> gq, ArrayView<int> hq, ArrayView<long> hist, int rowCount, int featureCount)
    {
        var f = item / rowCount;
        var row = item - (f * rowCount);
        var slot = nodeOfRow[row];
        if (slot < 0 || build[slot] == 0)
        {
            return;
        }
        var g = gq[row];
        var h = hq[row];
        if (g == 0 && h == 0)
        {
            return;
        }
        var cell = ((((long)slot * featureCount) + f) * HistPerFeature) + (2 * bins[item]);
        Atomic.Add(ref hist[cell], (long)g);
        Atomic.Add(ref hist[cell + 1], (long)h);
    }

    /// <summary>The larger child's histogram: its parent's minus its built sibling's.</summary>
    public static void Subtract(Index1D item, ArrayView<long> parentHist, ArrayView<long> childHist, ArrayView<int> parentSlot,
        ArrayView<int> smallSlot, ArrayView<int> largeSlot, int nodeSize)
    {
        var k = item / nodeSize;
        var j = item - (k * nodeSize);
        childHist[((long)largeSlot[k] * nodeSize) + j] = parentHist[((long)parentSlot[k] * nodeSize) + j] - childHist[((long)smallSlot[k] * nodeSize) + j];
    }

    /// <summary>One (node, feature) pair; the same scan as <see cref="SplitSearch.BestOnFeature"/>.</summary>
    public static void BestSplit(Index1D item, ArrayView<long> hist, ArrayView<long> totals, ArrayView<int> allowed, ArrayView<int> numBins,
        ArrayView<double> gainOut, ArrayView<int> binOut, ArrayView<long> leftGOut, ArrayView<long> leftHOut,
        SplitParams p, int featureCount)
    {
        var node = (int)item / featureCount;
        var f = item - (node * featureCount);
        var bestGain = 0.0;
        var bestBin = -1;
        long bestGl = 0, bestHl = 0;
        if (allowed[f] != 0)
        {
            var totalG = totals[2 * node];
            var totalH = totals[(2 * node) + 1];
            var g = totalG * p.InvScaleG;
            var h = totalH * p.InvScaleH;
            var offset = (((long)node * featureCount) + f) * HistPerFeature;
            long gl = 0, hl = 0;
            for (var b = 0; b < numBins[f]; b++)
            {
                gl += hist[offset + (2 * b)];
                hl += hist[offset + (2 * b) + 1];
                var hlD = hl * p.InvScaleH;
                var hrD = (totalH - hl) * p.InvScaleH;
                if (hlD < p.MinChildWeight || hrD < p.MinChildWeight || hl == 0 || hl == totalH)
                {
                    continue;
                }
                var gain = KernelMath.Gain(gl * p.InvScaleG, hlD, g, h, p.Lambda);
                if (gain > bestGain)
                {
                    bestGain = gain;
                    bestBin = b;
                    bestGl = gl;
                    bestHl = hl;
                }
            }
        }
        gainOut[item] = bestGain;
        binOut[item] = bestBin;
        leftGOut[item] = bestGl;
        leftHOut[item] = bestHl;
    }

    /// <summary>Moves a row to its child's slot on the next level, or out (-1) when its node became a leaf.</summary>
    public static void Partition(Index1D row, ArrayView<byte> bins, ArrayView<int> nodeOfRow, ArrayView<int> feature, ArrayView<int> bin,
        ArrayView<int> leftSlot, int rowCount)
    {
        var slot = nodeOfRow[row];
        if (slot < 0)
        {
            return;
        }
        var f = feature[slot];
        if (f < 0)
        {
            nodeOfRow[row] = -1;
            return;
        }
        nodeOfRow[row] = leftSlot[slot] + (bins[((long)f * rowCount) + row] <= bin[slot] ? 0 : 1);
    }

    /// <summary>Adds the finished tree's leaf to the row's margin, walking the tree over bins.</summary>
    public static void AddTree(Index1D row, ArrayView<byte> bins, ArrayView<double> margin, ArrayView<int> splitFeature, ArrayView<int> splitBin,
        ArrayView<int> left, ArrayView<int> right, ArrayView<float> leafValues, int rowCount)
    {
        var node = 0;
        while (node >= 0)
        {
            node = bins[((long)splitFeature[node] * rowCount) + row] <= splitBin[node] ? left[node] : right[node];
        }
        margin[row] += leafValues[~node];
    }

    /// <summary>Copies every stride-th margin, for the training-loss sample.</summary>
    public static void Gather(Index1D k, ArrayView<double> margin, ArrayView<double> sample, int stride) => sample[k] = margin[(long)(int)k * stride];
}
