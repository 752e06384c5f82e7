using ILGPU;
using ILGPU.Runtime;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// The ILGPU backend (CUDA, or ILGPU's CPU accelerator for tests). The rows, their margins and gradients, the row index
/// grouped by node and the histograms live on the device for the whole training. Per round the host receives the
/// gradient scales and the root's sums, per level each node's best split and row count, and sends the decisions back;
/// the margins are updated on the device from the finished tree. What a level does on the device: split search (a
/// group per node and feature, then one thread per node), partition of each split node's rows into its children,
/// the smaller child's histogram in shared memory and the larger one as parent minus smaller.
/// </summary>
internal sealed class IlgpuBackend : IGbdtBackend
{
    private readonly TrainingRows _rows;
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly DeviceKernels _kernels;
    private readonly DeviceMemory _memory;
    private readonly int _n;
    private readonly int _features;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _rowBins;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _margin;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _h;
    private readonly MemoryBuffer1D<GradientPair, Stride1D.Dense> _grad;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _scalars;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _numBins;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _lossSample;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _rootPlan;
    private readonly LevelPlan _root = new();
    private readonly LevelPlan _level = new();
    private readonly RowViews _rowViews;
    private readonly int[] _rowsPerNode = new int[DeviceLayout.MaxNodes];
    private readonly long[] _scalarsHost = new long[DeviceLayout.ScalarCount];
    private readonly double[] _lossHost;
    private MemoryBuffer1D<int, Stride1D.Dense> _index;
    private MemoryBuffer1D<int, Stride1D.Dense> _nextIndex;
    private MemoryBuffer1D<int, Stride1D.Dense> _segments;
    private MemoryBuffer1D<int, Stride1D.Dense> _nextSegments;
    private MemoryBuffer1D<long, Stride1D.Dense> _hist;
    private MemoryBuffer1D<long, Stride1D.Dense> _nextHist;
    private MemoryBuffer1D<SplitCandidate, Stride1D.Dense> _candidates;
    private MemoryBuffer1D<NodeBest, Stride1D.Dense> _nodeBest;
    private MemoryBuffer1D<long, Stride1D.Dense> _levelLongs;
    private MemoryBuffer1D<int, Stride1D.Dense> _levelPlan;
    private MemoryBuffer1D<int, Stride1D.Dense> _tree;
    private NodeBest[] _nodeBestHost = [];
    private long[] _levelLongsHost = [];
    private int[] _treeHost = [];

    private IlgpuBackend(TrainingRows rows, Context context, Accelerator accelerator, DeviceKernels kernels, string description)
    {
        _rows = rows;
        _context = context;
        _accelerator = accelerator;
        _kernels = kernels;
        Description = description;
        _n = rows.Data.RowCount;
        _features = rows.Data.FeatureCount;
        Layout = new DeviceLayout(_n, _features, Math.Min(DeviceLayout.MaxGroupSize, accelerator.MaxNumThreadsPerGroup), accelerator.NumMultiprocessors);
        if ((long)Layout.SharedHistogramWords * sizeof(uint) > accelerator.MaxSharedMemoryPerGroup)
        {
            throw new NotSupportedException($"{accelerator.Name} has {accelerator.MaxSharedMemoryPerGroup} bytes of shared memory per group; the histograms need {Layout.SharedHistogramWords * sizeof(uint)}");
        }
        _memory = new DeviceMemory(accelerator);
        _rowBins = _memory.Upload(rows.Data.RowMajor(new ParallelOptions()));
        var margin = new double[_n];
        Array.Fill(margin, rows.BaseMargin);
        _margin = _memory.Upload(margin);
        var labels = _memory.Upload(Array.ConvertAll(rows.Labels, l => l ? (byte)1 : (byte)0));
        var g = _memory.Allocate<double>(_n);
        _h = _memory.Allocate<double>(_n);
        _grad = _memory.Allocate<GradientPair>(_n);
        _rowViews = new RowViews(labels.View, _margin.View, g.View, _h.View, _grad.View);
        _index = _memory.Allocate<int>(_n);
        _nextIndex = _memory.Allocate<int>(_n);
        _segments = _memory.Allocate<int>(2 * DeviceLayout.MaxNodes);
        _nextSegments = _memory.Allocate<int>(2 * DeviceLayout.MaxNodes);
        _scalars = _memory.Allocate<long>(DeviceLayout.ScalarCount);
        _numBins = _memory.Upload(rows.Data.NumBins);
        _lossSample = _memory.Allocate<double>(rows.LossSampleCount);
        _lossHost = new double[rows.LossSampleCount];
        _root.ForRoot(Layout);
        _rootPlan = _memory.Upload(_root.Ints.ToArray());
        _hist = _memory.Allocate<long>(Layout.NodeCells);
        _nextHist = _memory.Allocate<long>(2 * Layout.NodeCells);
        _candidates = _memory.Allocate<SplitCandidate>(_features);
        _nodeBest = _memory.Allocate<NodeBest>(1);
        _levelLongs = _memory.Allocate<long>(2 + _features);
        _levelPlan = _memory.Allocate<int>(_root.Length);
        _tree = _memory.Allocate<int>(DeviceLayout.TreeInts(1));
    }

    public string Description { get; }

    /// <summary>The launch geometry and buffer sizes of this training set.</summary>
    public DeviceLayout Layout { get; }

    /// <summary>The most bytes the backend's device buffers held at once so far.</summary>
    public long PeakDeviceBytes => _memory.PeakBytes;

    /// <summary>
    /// Bytes in use on the whole device (every process, the CUDA context included) when training ended, with every
    /// buffer still allocated; null where the accelerator does not report it (the CPU accelerator).
    /// </summary>
    public long? DeviceBytesInUseAtEnd { get; private set; }

    public static IlgpuBackend Create<TOps>(TrainingRows rows, Context context, Accelerator accelerator, string description)
        where TOps : struct, IFloatOps
        => new(rows, context, accelerator, DeviceKernels.Load<TOps>(accelerator), description);

    public RoundStart BeginTree(int round)
    {
        _scalars.View.MemSetToZero();
        var rowGroups = new KernelConfig(Layout.RowGroups, Layout.GroupSize);
        var cutoff = _rows.RowSubsample >= 1.0 ? ulong.MaxValue : KernelMath.SampleCutoff(_rows.RowSubsample);
        _kernels.Gradients(rowGroups, _rowViews, _scalars.View, _rows.PositiveWeight, _rows.Seed, round, cutoff);
        _kernels.Quantize(rowGroups, _rowViews, _scalars.View);
        var root = Views(_rootPlan, _root);
        if (cutoff == ulong.MaxValue)
        {
            _kernels.AllRows(_n, _index.View, _segments.View);
        }
        else
        {
            // The sampled rows to the front of the index, in slot 0 (the rest in slot 1, unused).
            _kernels.AllRows(_n, _nextIndex.View, _nextSegments.View);
            root.Cursors.MemSetToZero();
            _kernels.PartitionBySample(new KernelConfig(_root.PartitionGroups, Layout.GroupSize), root, _nextSegments.View, _nextIndex.View, _index.View,
                new SampledSide(_h.View), Layout.PartitionChunkRows);
            _kernels.ChildSegments(1, root, _nextSegments.View, _segments.View);
        }
        _hist.View.SubView(0, Layout.NodeCells).MemSetToZero();
        BuildHistograms(root.HistogramWork, _root.HistogramItems, _segments, _index, _hist);
        _scalars.View.AsContiguous().CopyToCPU(_scalarsHost.AsSpan());
        _rowsPerNode[0] = (int)_scalarsHost[4];
        return new RoundStart(
            TrainingRows.ScaleFor(BitConverter.Int64BitsToDouble(_scalarsHost[0])),
            TrainingRows.ScaleFor(BitConverter.Int64BitsToDouble(_scalarsHost[1])),
            _scalarsHost[2],
            _scalarsHost[3]);
    }

    public void FindSplits(int activeNodes, ReadOnlySpan<long> nodeTotals, ReadOnlySpan<bool> featureAllowed, SplitParams p, Span<SplitCandidate> best)
    {
        var totals = 2 * activeNodes;
        if (_levelLongsHost.Length < totals + _features)
        {
            _levelLongsHost = new long[totals + _features];
        }
        nodeTotals.CopyTo(_levelLongsHost);
        for (var f = 0; f < _features; f++)
        {
            _levelLongsHost[totals + f] = featureAllowed[f] ? 1 : 0;
        }
        _memory.EnsureLength(ref _levelLongs, totals + _features);
        _levelLongs.View.AsContiguous().SubView(0, totals + _features).CopyFromCPU(_levelLongsHost.AsSpan(0, totals + _features));
        _memory.EnsureLength(ref _candidates, (long)activeNodes * _features);
        _memory.EnsureLength(ref _nodeBest, activeNodes);
        _kernels.BestPerFeature(new KernelConfig(activeNodes * _features, Layout.GroupSize), _hist.View,
            _levelLongs.View.SubView(0, totals), _levelLongs.View.SubView(totals, _features), _numBins.View, _candidates.View, p, _features);
        _kernels.BestPerNode(activeNodes, _candidates.View, _segments.View, _nodeBest.View, p.MinSplitGain, _features);
        if (_nodeBestHost.Length < activeNodes)
        {
            _nodeBestHost = new NodeBest[activeNodes];
        }
        _nodeBest.View.AsContiguous().SubView(0, activeNodes).CopyToCPU(_nodeBestHost.AsSpan(0, activeNodes));
        for (var node = 0; node < activeNodes; node++)
        {
            best[node] = _nodeBestHost[node].Split;
            _rowsPerNode[node] = _nodeBestHost[node].Rows;
        }
    }

    public void ApplySplits(ReadOnlySpan<NodeDecision> decisions, bool buildHistograms)
    {
        if (!buildHistograms)
        {
            return; // the tree's last level: only the margin update looks at where rows end, and it walks the tree
        }
        _level.ForLevel(decisions, _rowsPerNode, Layout);
        if (_level.Splits == 0)
        {
            return;
        }
        _memory.EnsureLength(ref _levelPlan, _level.Length);
        _levelPlan.View.AsContiguous().SubView(0, _level.Length).CopyFromCPU(_level.Ints);
        var plan = Views(_levelPlan, _level);
        _memory.EnsureLength(ref _nextHist, _level.Children * Layout.NodeCells);
        _nextHist.View.SubView(0, _level.Children * Layout.NodeCells).MemSetToZero();
        _kernels.PartitionByBin(new KernelConfig(_level.PartitionGroups, Layout.GroupSize), plan, _segments.View, _index.View, _nextIndex.View,
            new BinSide(_rowBins.View, _features), Layout.PartitionChunkRows);
        _kernels.ChildSegments(_level.Splits, plan, _segments.View, _nextSegments.View);
        BuildHistograms(plan.HistogramWork, _level.HistogramItems, _nextSegments, _nextIndex, _nextHist);
        _kernels.Subtract(new KernelConfig(Layout.StrideGroups(_level.Splits * Layout.NodeCells), Layout.GroupSize), plan, _level.Splits, _nextSegments.View, _hist.View, _nextHist.View, Layout.NodeCells);
        (_hist, _nextHist) = (_nextHist, _hist);
        (_segments, _nextSegments) = (_nextSegments, _segments);
        (_index, _nextIndex) = (_nextIndex, _index);
    }

    public double FinishTree(BinTree tree)
    {
        var nodes = tree.SplitFeature.Length;
        var length = (4 * nodes) + tree.LeafValues.Length;
        if (_treeHost.Length < length)
        {
            _treeHost = new int[length];
        }
        tree.SplitFeature.CopyTo(_treeHost, 0);
        tree.SplitBin.CopyTo(_treeHost, nodes);
        tree.Left.CopyTo(_treeHost, 2 * nodes);
        tree.Right.CopyTo(_treeHost, 3 * nodes);
        for (var leaf = 0; leaf < tree.LeafValues.Length; leaf++)
        {
            _treeHost[(4 * nodes) + leaf] = BitConverter.SingleToInt32Bits(tree.LeafValues[leaf]);
        }
        _memory.EnsureLength(ref _tree, length);
        _tree.View.AsContiguous().SubView(0, length).CopyFromCPU(_treeHost.AsSpan(0, length));
        _kernels.AddTree(_n, _rowBins.View, _margin.View, _tree.View, nodes, _features);
        _kernels.Gather(_lossHost.Length, _margin.View, _lossSample.View, _rows.LossStride);
        _lossSample.View.AsContiguous().CopyToCPU(_lossHost.AsSpan());
        return _rows.SampleLogLoss(_lossHost);
    }

    public void Dispose()
    {
        _accelerator.Synchronize();
        DeviceBytesInUseAtEnd = IlgpuAccelerators.BytesInUse(_accelerator);
        _memory.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    private static LevelPlanViews Views(MemoryBuffer1D<int, Stride1D.Dense> buffer, LevelPlan plan)
    {
        var view = buffer.View;
        return new LevelPlanViews(
            view.SubView(0, plan.CursorsAt),
            view.SubView(plan.CursorsAt, 2 * plan.Splits),
            view.SubView(plan.PartitionAt, 2 * plan.PartitionGroups),
            view.SubView(plan.HistogramAt, 3 * plan.HistogramItems));
    }

    private void BuildHistograms(ArrayView<int> work, int items, MemoryBuffer1D<int, Stride1D.Dense> segments, MemoryBuffer1D<int, Stride1D.Dense> index,
        MemoryBuffer1D<long, Stride1D.Dense> hist)
    {
        var config = new KernelConfig(items * Layout.FeatureGroups, Layout.GroupSize, SharedMemoryConfig.RequestDynamic<uint>(Layout.SharedHistogramWords));
        _kernels.Histogram(config, work, segments.View, index.View, _rowBins.View, _grad.View, hist.View, _features, Layout.FeaturesPerGroup, Layout.FeatureGroups,
            Layout.HistogramChunkRows);
    }
}
