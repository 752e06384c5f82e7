using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// Device code that starts a round: gradients, their fixed-point form and the root's rows. Scalars (a long array):
/// [0], [1] the largest |g| and h as bits (non-negative doubles order as their bits do), [2], [3] the integer sums of
/// the quantized g and h, [4] the sampled row count. Every reduction here is a max or an integer sum, exact in any order.
/// </summary>
internal static class RoundKernels
{
    /// <summary>Per row: the logloss gradient and hessian at its margin, or (0, -1) outside the round's sample.</summary>
    public static void Gradients<TOps>(RowViews rows, ArrayView<long> scalars, double positiveWeight, int seed, int round, ulong cutoff)
        where TOps : struct, IFloatOps
    {
        var scratch = SharedMemory.Allocate<double>(DeviceLayout.MaxGroupSize);
        double maxG = 0, maxH = 0;
        for (var row = Grid.GlobalIndex.X; row < rows.RowCount; row += Grid.DimX * Group.DimX)
        {
            if (cutoff != ulong.MaxValue && !KernelMath.RowSampled(seed, round, row, cutoff))
            {
                rows.G[row] = 0;
                rows.H[row] = -1;
                continue;
            }
            var (g, h) = KernelMath.LogLossGradient<TOps>(rows.Margin[row], rows.Labels[row] != 0, positiveWeight);
            rows.G[row] = g;
            rows.H[row] = h;
            var absG = g < 0 ? -g : g;
            maxG = absG > maxG ? absG : maxG;
            maxH = h > maxH ? h : maxH;
        }
        maxG = DeviceGroup.Max(scratch, maxG);
        maxH = DeviceGroup.Max(scratch, maxH);
        if (Group.IsFirstThread)
        {
            Atomic.Max(ref scalars[0], (long)Interop.FloatAsInt(maxG));
            Atomic.Max(ref scalars[1], (long)Interop.FloatAsInt(maxH));
        }
    }

    /// <summary>
    /// Fixed-point gradients with the round's scales (computed from the maxima as the host computes them); (0, 0) outside
    /// the sample. Adds the sums and the sampled count into the scalars.
    /// </summary>
    public static void Quantize<TOps>(RowViews rows, ArrayView<long> scalars)
        where TOps : struct, IFloatOps
    {
        var scratch = SharedMemory.Allocate<long>(DeviceLayout.MaxGroupSize);
        var scaleG = TrainingRows.ScaleFor(Interop.IntAsFloat((ulong)scalars[0]));
        var scaleH = TrainingRows.ScaleFor(Interop.IntAsFloat((ulong)scalars[1]));
        long sumG = 0, sumH = 0, count = 0;
        for (var row = Grid.GlobalIndex.X; row < rows.RowCount; row += Grid.DimX * Group.DimX)
        {
            var h = rows.H[row];
            if (h < 0)
            {
                rows.Grad[row] = default;
                continue;
            }
            var pair = new GradientPair
            {
                G = (int)KernelMath.Quantize<TOps>(rows.G[row], scaleG),
                H = (int)KernelMath.Quantize<TOps>(h, scaleH),
            };
            rows.Grad[row] = pair;
            sumG += pair.G;
            sumH += pair.H;
            count++;
        }
        sumG = DeviceGroup.Sum(scratch, sumG);
        sumH = DeviceGroup.Sum(scratch, sumH);
        count = DeviceGroup.Sum(scratch, count);
        if (Group.IsFirstThread)
        {
            Atomic.Add(ref scalars[2], sumG);
            Atomic.Add(ref scalars[3], sumH);
            Atomic.Add(ref scalars[4], count);
        }
    }

    /// <summary>Every row in order as the root's one segment (0, row count) in slot 0.</summary>
    public static void AllRows(Index1D k, ArrayView<int> index, ArrayView<int> segments)
    {
        index[k] = k;
        if (k == 0)
        {
            segments[0] = 0;
            segments[1] = index.IntLength;
        }
    }
}
