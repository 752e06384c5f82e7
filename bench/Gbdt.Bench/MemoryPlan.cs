using System.Globalization;
using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>The device memory a training of a shape takes on CUDA, computed before any run.</summary>
internal static class MemoryPlan
{
    private const double MiB = 1 << 20;

    /// <summary>The buffers a training of this shape allocates on the device, by kind, and their sum.</summary>
    public static void Write(int rows, int features, int depth)
    {
        var layout = new DeviceLayout(rows, features, DeviceLayout.MaxGroupSize, Multiprocessors: 132);
        var widest = 1 << (depth - 1);
        var peak = layout.PeakBytes(depth, TrainingRows.LossSampleCountFor(rows));
        var histograms = 2 * layout.HistogramBytes(widest);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"device memory plan for {rows} x {features}, depth {depth} (CUDA, 256-thread groups):"));
        foreach (var (what, bytes) in new (string, long)[]
        {
            ("rows (bins, labels, margins, gradients, two row indexes)", layout.ResidentBytes),
            (string.Create(inv, $"histograms, two levels of {widest} nodes"), histograms),
            ("split candidates, level plans, tree, loss sample", peak - layout.ResidentBytes - histograms),
            ("peak, at most", peak),
        })
        {
            Console.WriteLine(string.Create(inv, $"  {what + ":",-60}{bytes / MiB,9:F1} MiB"));
        }
        Console.WriteLine(string.Create(inv, $"  = {peak / (double)(1L << 30):F2} GiB, plus the CUDA context (a few hundred MiB)"));
    }
}
