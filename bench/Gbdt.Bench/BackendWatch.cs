using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>Picks the backend as training would, and reports what an ILGPU one cost to start and held at its peak.</summary>
internal sealed class BackendWatch
{
    private const double MiB = 1 << 20;

    private IlgpuBackend? _backend;
    private double _startSeconds;

    public Func<TrainingRows, ParallelOptions, (IGbdtBackend, string)> Factory(GbdtDevice device) => (rows, parallel) =>
    {
        var clock = Stopwatch.StartNew();
        var (backend, reason) = BackendFactory.Create(device, rows, parallel);
        _startSeconds = clock.Elapsed.TotalSeconds;
        _backend = backend as IlgpuBackend;
        return (backend, reason);
    };

    public void WriteMeasured(int depth)
    {
        if (_backend is not { } b)
        {
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"device start (context, kernels compiled, rows uploaded), included above: {_startSeconds:F2} s"));
        var planned = b.Layout.PeakBytes(depth, TrainingRows.LossSampleCountFor(b.Layout.RowCount));
        var line = string.Create(inv, $"device memory: backend buffers peak {b.PeakDeviceBytes / MiB:F1} MiB (plan for this shape: at most {planned / MiB:F1} MiB)");
        if (b.DeviceBytesInUseAtEnd is { } inUse)
        {
            line += string.Create(inv, $"; in use on the device at the end of training: {inUse / MiB:F0} MiB (CUDA context and other processes included)");
        }
        Console.WriteLine(line);
    }
}
