using System.Runtime.Intrinsics;

namespace Fraud.Streaming.Gbdt;

/// <summary>What every backend needs about the training rows besides the bins.</summary>
internal sealed record TrainingRows(BinnedData Data, bool[] Labels, double PositiveWeight, double BaseMargin, int Seed, double RowSubsample)
{
    /// <summary>The largest fixed-point magnitude of one row's gradient or hessian: sums over 2^31 rows still fit in a long.</summary>
    public const double QuantizationRange = 1 << 30;

    public static double ScaleFor(double maxAbs) => maxAbs > 0 ? QuantizationRange / maxAbs : 1.0;

    /// <summary>Every how many rows the reported training loss looks at (it is shown, never used to decide).</summary>
    public int LossStride => LossStrideFor(Data.RowCount);

    public int LossSampleCount => LossSampleCountFor(Data.RowCount);

    public static int LossStrideFor(int rows) => Math.Max(1, rows / 65_536);

    public static int LossSampleCountFor(int rows) => (rows + LossStrideFor(rows) - 1) / LossStrideFor(rows);

    /// <summary>Mean logloss over the loss sample, given the sampled rows' margins in order.</summary>
    public double SampleLogLoss(ReadOnlySpan<double> sampledMargins)
    {
        double sum = 0;
        var k = 0;
        // The sigmoids eight at a time (bit for bit the scalar ones): this runs every round on one thread.
        for (; k <= sampledMargins.Length - 8; k += 8)
        {
            var p = KernelMath.Sigmoid(Vector512.Create(sampledMargins.Slice(k, 8)));
            for (var lane = 0; lane < 8; lane++)
            {
                sum += LogLossOf(Labels[(k + lane) * LossStride], p[lane]);
            }
        }
        for (; k < sampledMargins.Length; k++)
        {
            sum += LogLoss(Labels[k * LossStride], sampledMargins[k]);
        }
        return sum / sampledMargins.Length;
    }

    public static double LogLoss(bool label, double margin) => LogLossOf(label, KernelMath.Sigmoid(margin));

    private static double LogLossOf(bool label, double probability)
    {
        var p = Math.Clamp(probability, 1e-15, 1 - 1e-15);
        return label ? -Math.Log(p) : -Math.Log(1 - p);
    }
}
