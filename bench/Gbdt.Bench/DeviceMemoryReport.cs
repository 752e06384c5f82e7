using System.Globalization;
using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>Device memory: the plan for a shape (before any run), and what an ILGPU run held at its peak.</summary>
internal sealed class DeviceMemoryReport
{
    private const double MiB = 1 << 20;

    private IlgpuBackend? _backend;

    /// <summary>A backend factory that picks the backend as training would and keeps hold of an ILGPU one.</summary>
    public Func<TrainingRows, ParallelOptions, (IGbdtBackend, string)> Watch(GbdtDevice device) => (rows, parallel) =>
    {
        var (backend, reason) = BackendFactory.Create(device, rows, parallel);
        _backend = backend as IlgpuBackend;
        return (backend, reason);
    };

    public void WriteMeasured(int depth)
    {
        if (_backend is not { } b)
        {
            return;
        }
        var planned = b.Layout.PeakBytes(depth, TrainingRows.LossSampleCountFor(b.Layout.RowCount));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"device memory: backend buffers peak {b.PeakDeviceBytes / MiB:F1} MiB (plan for this shape: at most {planned / MiB:F1} MiB)");
        if (b.DeviceBytesInUseAtEnd is { } inUse)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; in use on the device at the end of training: {inUse / MiB:F0} MiB (CUDA context and other processes included)");
        }
        Console.WriteLine(line);
    }

    /// <summary>The buffers a training of this shape allocates on the device, largest first, and their sum.</summary>
    public static void WritePlan(int rows, int features, int depth)
    {
        var layout = new DeviceLayout(rows, features, DeviceLayout.MaxGroupSize, Multiprocessors: 132);
        var widest = 1 << (depth - 1);
        var peak = layout.PeakBytes(depth, TrainingRows.LossSampleCountFor(rows));
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"device memory plan for {rows} x {features}, depth {depth} (CUDA, 256-thread groups):"));
        Console.WriteLine(string.Create(inv, $"  resident rows (bins, labels, margins, gradients, two row indexes): {layout.ResidentBytes / MiB,10:F1} MiB"));
        Console.WriteLine(string.Create(inv, $"  histograms, two levels of {widest} nodes:                        {2 * layout.HistogramBytes(widest) / MiB,10:F1} MiB"));
        Console.WriteLine(string.Create(inv, $"  split candidates, plans, tree, loss sample:                      {(peak - layout.ResidentBytes - (2 * layout.HistogramBytes(widest))) / MiB,10:F1} MiB"));
        Console.WriteLine(string.Create(inv, $"  peak, at most:                                                   {peak / MiB,10:F1} MiB ({peak / (double)(1L << 30):F2} GiB) + the CUDA context"));
    }
}
