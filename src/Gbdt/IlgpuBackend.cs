using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// The ILGPU backend (CUDA, or ILGPU's CPU accelerator for tests). Bins, labels, margins, gradients, row-to-node map and
/// histograms stay on the device for the whole training; per level only the split candidates (nodes × features) come
/// back and the decisions (a few ints per node) go out.
/// </summary>
internal sealed class IlgpuBackend : IGbdtBackend
{
    private const int HistPerFeature = IlgpuKernels.HistPerFeature;

    private readonly TrainingRows _rows;
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly int _n;
    private readonly int _features;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _bins;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _labels;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _margin;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _g;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _h;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _gq;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _hq;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _nodeOfRow;
    private readonly MemoryBuffer1D<ulong, Stride1D.Dense> _maxBits;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _numBins;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _lossSample;
    private readonly List<MemoryBuffer> _small = [];
    private MemoryBuffer1D<long, Stride1D.Dense> _hist;
    private MemoryBuffer1D<long, Stride1D.Dense> _nextHist;

    private readonly Action<Index1D, ArrayView<double>, ArrayView<byte>, ArrayView<double>, ArrayView<double>, ArrayView<ulong>, double, int, int, ulong> _gradients;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<int>, double, double> _quantize;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<long>, int, int> _histogram;
    private readonly Action<Index1D, ArrayView<long>, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int> _subtract;
    private readonly Action<Index1D, ArrayView<long>, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<int>, ArrayView<long>, ArrayView<long>, SplitParams, int> _bestSplit;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int> _partition;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int> _addTree;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, int> _gather;

    private IlgpuBackend(TrainingRows rows, Context context, Accelerator accelerator, string description)
    {
        _rows = rows;
        _context = context;
        _accelerator = accelerator;
        Description = description;
        _n = rows.Data.RowCount;
        _features = rows.Data.FeatureCount;
        _bins = accelerator.Allocate1D(rows.Data.Bins);
        _labels = accelerator.Allocate1D(rows.Labels.Select(l => l ? (byte)1 : (byte)0).ToArray());
        var margin = new double[_n];
        Array.Fill(margin, rows.BaseMargin);
        _margin = accelerator.Allocate1D(margin);
        _g = accelerator.Allocate1D<double>(_n);
        _h = accelerator.Allocate1D<double>(_n);
        _gq = accelerator.Allocate1D<int>(_n);
        _hq = accelerator.Allocate1D<int>(_n);
        _nodeOfRow = accelerator.Allocate1D<int>(_n);
        _maxBits = accelerator.Allocate1D<ulong>(2);
        _numBins = accelerator.Allocate1D(rows.Data.NumBins);
        _lossSample = accelerator.Allocate1D<double>(rows.LossSampleCount);
        _hist = accelerator.Allocate1D<long>((long)_features * HistPerFeature);
        _nextHist = accelerator.Allocate1D<long>((long)2 * _features * HistPerFeature);

        _gradients = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<byte>, ArrayView<double>, ArrayView<double>, ArrayView<ulong>, double, int, int, ulong>(IlgpuKernels.Gradients);
        _quantize = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<int>, double, double>(IlgpuKernels.Quantize);
        _histogram = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<long>, int, int>(IlgpuKernels.Histogram);
        _subtract = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int>(IlgpuKernels.Subtract);
        _bestSplit = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<int>, ArrayView<long>, ArrayView<long>, SplitParams, int>(IlgpuKernels.BestSplit);
        _partition = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int>(IlgpuKernels.Partition);
        _addTree = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int>(IlgpuKernels.AddTree);
        _gather = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, int>(IlgpuKernels.Gather);
    }

    public string Description { get; }

    /// <summary>ILGPU on the first CUDA device; <see cref="NotSupportedException"/> when there is no driver or device.</summary>
    public static IlgpuBackend CreateCuda(TrainingRows rows)
    {
        Context? context = null;
        try
        {
            context = Context.Create(builder => builder.Cuda());
            var devices = context.GetCudaDevices();
            if (devices.Count == 0)
            {
                throw new NotSupportedException("no CUDA device found (GbdtDevice.Cuda needs an NVIDIA GPU and driver; use Cpu or Auto)");
            }
            var accelerator = context.CreateCudaAccelerator(0);
            return new IlgpuBackend(rows, context, accelerator, $"cuda:{accelerator.Name}");
        }
        catch (Exception e) when (e is not NotSupportedException and not OutOfMemoryException)
        {
            context?.Dispose();
            throw new NotSupportedException($"CUDA is not available ({e.GetType().Name}: {e.Message}); use Cpu or Auto", e);
        }
        catch
        {
            context?.Dispose();
            throw;
        }
    }

    /// <summary>Why CUDA cannot be used here, or null when a CUDA device answers.</summary>
    public static string? CudaUnavailableReason()
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count > 0 ? null : "no CUDA device found";
        }
        catch (Exception e)
        {
            return $"CUDA is not available ({e.GetType().Name}: {e.Message})";
        }
    }

    /// <summary>ILGPU's CPU accelerator: the device code run on the CPU, for equivalence tests.</summary>
    public static IlgpuBackend CreateCpu(TrainingRows rows)
    {
        var context = Context.Create(builder => builder.CPU());
        var accelerator = context.CreateCPUAccelerator(0);
        return new IlgpuBackend(rows, context, accelerator, $"ilgpu-cpu:{accelerator.Name}");
    }

    public RoundStart BeginTree(int round)
    {
        _maxBits.MemSetToZero();
        _gradients(_n, _margin.View, _labels.View, _g.View, _h.View, _maxBits.View, _rows.PositiveWeight, _rows.Seed, round,
            _rows.RowSubsample >= 1.0 ? ulong.MaxValue : KernelMath.SampleCutoff(_rows.RowSubsample));
        var maxBits = _maxBits.GetAsArray1D();
        var scaleG = TrainingRows.ScaleFor(BitConverter.UInt64BitsToDouble(maxBits[0]));
        var scaleH = TrainingRows.ScaleFor(BitConverter.UInt64BitsToDouble(maxBits[1]));
        _quantize(_n, _g.View, _h.View, _gq.View, _hq.View, scaleG, scaleH);
        _nodeOfRow.MemSetToZero();
        var build = Upload([1]);
        _hist.View.SubView(0, (long)_features * HistPerFeature).MemSetToZero();
        _histogram(_n * _features, _bins.View, _nodeOfRow.View, build.View, _gq.View, _hq.View, _hist.View, _n, _features);
        // Every row sits in exactly one bin of feature 0, so its histogram sums to the root's totals.
        var first = new long[HistPerFeature];
        _hist.View.SubView(0, HistPerFeature).CopyToCPU(first);
        long totalG = 0, totalH = 0;
        for (var b = 0; b < BinnedData.BinStride; b++)
        {
            totalG += first[2 * b];
            totalH += first[(2 * b) + 1];
        }
        return new RoundStart(scaleG, scaleH, totalG, totalH);
    }

    public void FindSplits(int activeNodes, ReadOnlySpan<long> nodeTotals, ReadOnlySpan<bool> featureAllowed, SplitParams p, SplitCandidate[] results)
    {
        var items = activeNodes * _features;
        var totals = Upload(nodeTotals.ToArray());
        var allowed = Upload(featureAllowed.ToArray().Select(a => a ? 1 : 0).ToArray());
        var gain = Allocate<double>(items);
        var bin = Allocate<int>(items);
        var leftG = Allocate<long>(items);
        var leftH = Allocate<long>(items);
        _bestSplit(items, _hist.View, totals.View, allowed.View, _numBins.View, gain.View, bin.View, leftG.View, leftH.View, p, _features);
        var gains = gain.GetAsArray1D();
        var bins = bin.GetAsArray1D();
        var lg = leftG.GetAsArray1D();
        var lh = leftH.GetAsArray1D();
        for (var i = 0; i < items; i++)
        {
            results[i] = new SplitCandidate { Gain = gains[i], Bin = bins[i], LeftG = lg[i], LeftH = lh[i] };
        }
        FreeSmall();
    }

    public void ApplySplits(ReadOnlySpan<NodeDecision> decisions, bool buildHistograms)
    {
        var d = decisions.ToArray();
        var feature = Upload(d.Select(x => x.Feature).ToArray());
        var bin = Upload(d.Select(x => x.Bin).ToArray());
        var leftSlot = Upload(d.Select(x => x.LeftSlot).ToArray());
        _partition(_n, _bins.View, _nodeOfRow.View, feature.View, bin.View, leftSlot.View, _n);
        var splits = d.Select((x, i) => (Decision: x, Parent: i)).Where(x => x.Decision.Feature >= 0).ToArray();
        if (buildHistograms && splits.Length > 0)
        {
            var children = splits.Max(x => x.Decision.LeftSlot) + 2;
            var nodeSize = _features * HistPerFeature;
            if (_nextHist.Length < (long)children * nodeSize)
            {
                _nextHist.Dispose();
                _nextHist = _accelerator.Allocate1D<long>((long)children * nodeSize);
            }
            _nextHist.View.SubView(0, (long)children * nodeSize).MemSetToZero();
            var buildFlags = new int[children];
            var small = splits.Select(x => x.Decision.SmallLeft ? x.Decision.LeftSlot : x.Decision.LeftSlot + 1).ToArray();
            var large = splits.Select(x => x.Decision.SmallLeft ? x.Decision.LeftSlot + 1 : x.Decision.LeftSlot).ToArray();
            foreach (var s in small)
            {
                buildFlags[s] = 1;
            }
            var build = Upload(buildFlags);
            _histogram(_n * _features, _bins.View, _nodeOfRow.View, build.View, _gq.View, _hq.View, _nextHist.View, _n, _features);
            var parents = Upload(splits.Select(x => x.Parent).ToArray());
            _subtract(splits.Length * nodeSize, _hist.View, _nextHist.View, parents.View, Upload(small).View, Upload(large).View, nodeSize);
            (_hist, _nextHist) = (_nextHist, _hist);
        }
        _accelerator.Synchronize();
        FreeSmall();
    }

    public double FinishTree(BinTree tree)
    {
        _addTree(_n, _bins.View, _margin.View, Upload(tree.SplitFeature).View, Upload(tree.SplitBin).View, Upload(tree.Left).View,
            Upload(tree.Right).View, Upload(tree.LeafValues).View, _n);
        _gather(_rows.LossSampleCount, _margin.View, _lossSample.View, _rows.LossStride);
        var sample = _lossSample.GetAsArray1D();
        FreeSmall();
        return _rows.SampleLogLoss(sample);
    }

    public void Dispose()
    {
        FreeSmall();
        foreach (var buffer in new MemoryBuffer[] { _bins, _labels, _margin, _g, _h, _gq, _hq, _nodeOfRow, _maxBits, _numBins, _lossSample, _hist, _nextHist })
        {
            buffer.Dispose();
        }
        _accelerator.Dispose();
        _context.Dispose();
    }

    private MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] data)
        where T : unmanaged
    {
        var buffer = _accelerator.Allocate1D(data.Length == 0 ? new T[1] : data);
        _small.Add(buffer);
        return buffer;
    }

    private MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(int length)
        where T : unmanaged
    {
        var buffer = _accelerator.Allocate1D<T>(Math.Max(1, length));
        _small.Add(buffer);
        return buffer;
    }

    /// <summary>Frees the per-level scratch buffers once the work that reads them has finished.</summary>
    private void FreeSmall()
    {
        _accelerator.Synchronize();
        foreach (var buffer in _small)
        {
            buffer.Dispose();
        }
        _small.Clear();
    }
}
