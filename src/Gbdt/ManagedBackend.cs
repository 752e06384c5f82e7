using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// The managed CPU backend: column-major byte bins, rows of each node kept as a contiguous range of one index array,
/// histograms built in parallel over (node, feature) and the larger child taken as parent minus the smaller.
/// </summary>
internal sealed class ManagedBackend : IGbdtBackend
{
    private const int BlockRows = 1 << 14;
    private const int HistPerFeature = BinnedData.BinStride * 2;
    /// <summary>Rows below which a node is not cut into chunks: each chunk costs a histogram to clear and sum.</summary>
    private const int MinChunkRows = 8192;
    /// <summary>Chunks per thread and level: enough that uneven node sizes even out over the threads.</summary>
    private const int ChunksPerThread = 4;
    private const int PrefetchRows = 16;

    private readonly TrainingRows _rows;
    private readonly ParallelOptions _parallel;
    private readonly int _n;
    private readonly int _features;
    private readonly double[] _margin;
    private readonly GradientPair[] _grad;
    private readonly byte[] _rowBins;
    private readonly double[] _g;
    private readonly double[] _h;
    private int[] _index;
    private int[] _scratch;
    private int _sampled;
    private (int Start, int Count)[] _segments = new (int, int)[1];
    private (int Start, int Count)[] _nextSegments = new (int, int)[2];
    private long[] _hist = [];
    private long[] _nextHist = [];
    private long[] _scratchHist = [];
    private SplitCandidate[] _candidates = [];
    private readonly List<(int Start, int Count)> _leafSegments = [];

    public ManagedBackend(TrainingRows rows, ParallelOptions parallel)
    {
        _rows = rows;
        _parallel = parallel;
        _n = rows.Data.RowCount;
        _features = rows.Data.FeatureCount;
        _margin = new double[_n];
        Array.Fill(_margin, rows.BaseMargin);
        _grad = new GradientPair[_n];
        _g = new double[_n];
        _h = new double[_n];
        _index = new int[_n];
        _rowBins = rows.Data.RowMajor(parallel);
        _scratch = new int[_n];
        Description = $"cpu:managed x{(parallel.MaxDegreeOfParallelism > 0 ? parallel.MaxDegreeOfParallelism : Environment.ProcessorCount)} threads";
    }

    public string Description { get; }

    public RoundStart BeginTree(int round)
    {
        var blocks = (_n + BlockRows - 1) / BlockRows;
        var maxG = new double[blocks];
        var maxH = new double[blocks];
        var kept = new int[blocks];
        var all = _rows.RowSubsample >= 1.0;
        var cutoff = KernelMath.SampleCutoff(_rows.RowSubsample);
        Parallel.For(0, blocks, _parallel, blk =>
        {
            var end = Math.Min(_n, (blk + 1) * BlockRows);
            double mg = 0, mh = 0;
            var count = 0;
            var margin = _margin;
            var labels = _rows.Labels;
            var gs = _g;
            var hs = _h;
            var i = blk * BlockRows;
            if (all && Avx512F.IsSupported)
            {
                (i, mg, mh) = Gradients8(i, end, margin, labels, gs, hs, _rows.PositiveWeight);
                count = i - (blk * BlockRows);
            }
            for (; i < end; i++)
            {
                if (!all && !KernelMath.RowSampled(_rows.Seed, round, i, cutoff))
                {
                    gs[i] = 0;
                    hs[i] = -1; // marks the row as left out of this round's sample (a sampled row's hessian is ≥ 0)
                    continue;
                }
                var (g, h) = KernelMath.LogLossGradient<PlainFloatOps>(margin[i], labels[i], _rows.PositiveWeight);
                gs[i] = g;
                hs[i] = h;
                mg = Math.Max(mg, Math.Abs(g));
                mh = Math.Max(mh, h);
                count++;
            }
            maxG[blk] = mg;
            maxH[blk] = mh;
            kept[blk] = count;
        });
        var scaleG = TrainingRows.ScaleFor(maxG.Max());
        var scaleH = TrainingRows.ScaleFor(maxH.Max());
        var offsets = new int[blocks];
        _sampled = 0;
        for (var blk = 0; blk < blocks; blk++)
        {
            offsets[blk] = _sampled;
            _sampled += kept[blk];
        }
        var sumG = new long[blocks];
        var sumH = new long[blocks];
        Parallel.For(0, blocks, _parallel, blk =>
        {
            var end = Math.Min(_n, (blk + 1) * BlockRows);
            long sg = 0, sh = 0;
            var next = offsets[blk];
            var gs = _g;
            var hs = _h;
            var grad = _grad;
            var index = _index;
            for (var i = blk * BlockRows; i < end; i++)
            {
                if (hs[i] < 0)
                {
                    grad[i] = default;
                    continue;
                }
                var g = (int)KernelMath.Quantize(gs[i], scaleG);
                var h = (int)KernelMath.Quantize(hs[i], scaleH);
                grad[i] = new GradientPair { G = g, H = h };
                sg += g;
                sh += h;
                index[next++] = i;
            }
            sumG[blk] = sg;
            sumH[blk] = sh;
        });
        _segments[0] = (0, _sampled);
        _leafSegments.Clear();
        EnsureCapacity(ref _hist, 1);
        // With every row sampled the root's index is 0..n-1: read rows in order, no index.
        BuildHistograms(_hist, [(0, 0)], _segments, rowsInOrder: _sampled == _n);
        return new RoundStart(scaleG, scaleH, sumG.Sum(), sumH.Sum());
    }

    /// <summary>
    /// The gradient pass eight rows at a time, bit for bit as the scalar loop (see <see cref="KernelMath.Sigmoid(Vector512{double})"/>);
    /// returns the first row it left for the scalar loop and the running maxima.
    /// </summary>
    private static (int Next, double MaxG, double MaxH) Gradients8(int start, int end, double[] margin, bool[] labels, double[] gs, double[] hs, double positiveWeight)
    {
        var maxG = Vector512<double>.Zero;
        var maxH = Vector512<double>.Zero;
        var one = Vector512<double>.One;
        var weight = Vector512.Create(positiveWeight);
        ref var l0 = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetArrayDataReference(labels));
        var i = start;
        for (; i <= end - 8; i += 8)
        {
            // All ones in the lanes of negative rows (label byte 0), widened from the eight label bytes.
            var negative = Vector512.Equals(Avx512F.ConvertToVector512Int64(Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref l0, i))).AsByte()), Vector512<long>.Zero).AsDouble();
            var p = KernelMath.Sigmoid(Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(margin), (nuint)i));
            var w = Vector512.ConditionalSelect(negative, one, weight);
            var y = Vector512.ConditionalSelect(negative, Vector512<double>.Zero, one);
            var g = w * (p - y);
            var h = w * p * (one - p);
            g.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(gs), (nuint)i);
            h.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(hs), (nuint)i);
            maxG = Vector512.Max(maxG, Vector512.Abs(g));
            maxH = Vector512.Max(maxH, h);
        }
        double mg = 0, mh = 0;
        for (var k = 0; k < Vector512<double>.Count; k++)
        {
            mg = Math.Max(mg, maxG[k]);
            mh = Math.Max(mh, maxH[k]);
        }
        return (i, mg, mh);
    }

    public void FindSplits(int activeNodes, ReadOnlySpan<long> nodeTotals, ReadOnlySpan<bool> featureAllowed, SplitParams p, Span<SplitCandidate> best)
    {
        var totals = nodeTotals.ToArray();
        var allowed = featureAllowed.ToArray();
        var numBins = _rows.Data.NumBins;
        var hist = _hist;
        var features = _features;
        var candidates = _candidates.Length >= activeNodes * features ? _candidates : _candidates = new SplitCandidate[activeNodes * features];
        Parallel.For(0, activeNodes * features, _parallel, item =>
        {
            var node = item / features;
            var f = item % features;
            candidates[item] = allowed[f]
                ? SplitSearch.BestOnFeature(hist.AsSpan(((node * features) + f) * HistPerFeature, HistPerFeature), f, numBins[f], totals[2 * node], totals[(2 * node) + 1], p)
                : SplitCandidate.None(0);
        });
        for (var node = 0; node < activeNodes; node++)
        {
            best[node] = SplitSearch.BestOverFeatures(candidates.AsSpan(node * features, features), p.MinSplitGain);
        }
    }

    public void ApplySplits(ReadOnlySpan<NodeDecision> decisions, bool buildHistograms)
    {
        var d = decisions.ToArray();
        var children = 0;
        for (var i = 0; i < d.Length; i++)
        {
            var decision = d[i];
            if (decision.Feature >= 0)
            {
                children = Math.Max(children, decision.LeftSlot + 2);
            }
            else
            {
                while (_leafSegments.Count <= decision.LeafId)
                {
                    _leafSegments.Add((0, 0));
                }
                _leafSegments[decision.LeafId] = _segments[i];
            }
        }
        if (_nextSegments.Length < children)
        {
            _nextSegments = new (int, int)[children];
        }
        var bins = _rows.Data.Bins;
        Parallel.For(0, d.Length, _parallel, i =>
        {
            var decision = d[i];
            if (decision.Feature < 0)
            {
                return;
            }
            var (start, count) = _segments[i];
            var column = bins.AsSpan(decision.Feature * _n, _n);
            var left = start;
            var right = start;
            var bin = decision.Bin;
            var index = _index.AsSpan(0, start + count);
            var scratch = _scratch.AsSpan(0, start + count);
            // Branch-free: the row goes to both places and only the side it belongs to advances.
            for (var k = start; k < index.Length; k++)
            {
                var row = index[k];
                var goesLeft = column[row] <= bin ? 1 : 0;
                index[left] = row;
                scratch[right] = row;
                left += goesLeft;
                right += 1 - goesLeft;
            }
            right -= start;
            scratch.Slice(start, right).CopyTo(index[left..]);
            _nextSegments[decision.LeftSlot] = (start, left - start);
            _nextSegments[decision.LeftSlot + 1] = (left, right);
        });
        if (buildHistograms && children > 0)
        {
            EnsureCapacity(ref _nextHist, children);
            var build = new List<(int Slot, int Segment)>();
            foreach (var decision in d)
            {
                if (decision.Feature >= 0)
                {
                    var small = SmallerChild(decision);
                    build.Add((small, small));
                }
            }
            BuildHistograms(_nextHist, build, _nextSegments, rowsInOrder: false);
            var size = _features * HistPerFeature;
            var parentHist = _hist;
            var childHist = _nextHist;
            Parallel.For(0, d.Length, _parallel, i =>
            {
                var decision = d[i];
                if (decision.Feature < 0)
                {
                    return;
                }
                var small = SmallerChild(decision);
                var large = small == decision.LeftSlot ? decision.LeftSlot + 1 : decision.LeftSlot;
                var parent = parentHist.AsSpan(i * size, size);
                var s = childHist.AsSpan(small * size, size);
                var l = childHist.AsSpan(large * size, size);
                Subtract(parent, s, l);
            });
            (_hist, _nextHist) = (_nextHist, _hist);
        }
        (_segments, _nextSegments) = (_nextSegments, _segments);
    }

    /// <summary>
    /// The child whose histogram is built (the other is its parent's minus it): the one with fewer rows, which is what
    /// the pass costs. The decision's hessian-based choice often agrees; either gives the same integer histograms.
    /// </summary>
    private int SmallerChild(NodeDecision decision) =>
        _nextSegments[decision.LeftSlot].Count <= _nextSegments[decision.LeftSlot + 1].Count ? decision.LeftSlot : decision.LeftSlot + 1;

    public double FinishTree(BinTree tree)
    {
        var leaves = tree.LeafValues;
        if (_rows.RowSubsample >= 1.0)
        {
            var segments = _leafSegments.ToArray();
            Parallel.For(0, segments.Length, _parallel, leaf =>
            {
                var (start, count) = segments[leaf];
                var v = (double)leaves[leaf];
                for (var k = start; k < start + count; k++)
                {
                    _margin[_index[k]] += v;
                }
            });
        }
        else
        {
            var blocks0 = (_n + BlockRows - 1) / BlockRows;
            Parallel.For(0, blocks0, _parallel, blk =>
            {
                var end = Math.Min(_n, (blk + 1) * BlockRows);
                for (var i = blk * BlockRows; i < end; i++)
                {
                    _margin[i] += leaves[tree.LeafOf(_rows.Data.Bins, _n, i)];
                }
            });
        }
        var sample = new double[_rows.LossSampleCount];
        for (var k = 0; k < sample.Length; k++)
        {
            sample[k] = _margin[k * _rows.LossStride];
        }
        return _rows.SampleLogLoss(sample);
    }

    public void Dispose()
    {
    }

    private void EnsureCapacity(ref long[] hist, int nodes)
    {
        var needed = (long)nodes * _features * HistPerFeature;
        if (hist.LongLength < needed)
        {
            hist = new long[needed];
        }
    }

    /// <summary>
    /// Row-wise over all features: each work item reads a chunk of one node's rows once (one gradient load per row, the
    /// row's bins side by side). A node is cut into chunks of about equal size so both threads stay busy whatever the
    /// node sizes; a node's first chunk adds into its own histogram, the others into scratch histograms summed in after.
    /// </summary>
    private void BuildHistograms(long[] hist, List<(int Slot, int Segment)> nodes, (int Start, int Count)[] segments, bool rowsInOrder)
    {
        var features = _features;
        var size = features * HistPerFeature;
        var threads = _parallel.MaxDegreeOfParallelism > 0 ? _parallel.MaxDegreeOfParallelism : Environment.ProcessorCount;
        long total = 0;
        foreach (var (_, segment) in nodes)
        {
            total += segments[segment].Count;
        }
        var chunkRows = (int)Math.Max(MinChunkRows, (total + (ChunksPerThread * threads) - 1) / (ChunksPerThread * threads));
        var items = new List<(int Slot, int Start, int Count, int Scratch)>();
        var merges = new List<(int Slot, int FirstScratch, int Scratches)>();
        var scratches = 0;
        foreach (var (slot, segment) in nodes)
        {
            var (start, count) = segments[segment];
            var chunks = Math.Max(1, (count + (chunkRows / 2)) / chunkRows);
            var first = scratches;
            for (var c = 0; c < chunks; c++)
            {
                var from = start + (int)((long)count * c / chunks);
                var to = start + (int)((long)count * (c + 1) / chunks);
                items.Add((slot, from, to - from, c == 0 ? -1 : scratches++));
            }
            if (chunks > 1)
            {
                merges.Add((slot, first, chunks - 1));
            }
        }
        if (_scratchHist.LongLength < (long)scratches * size)
        {
            _scratchHist = new long[(long)scratches * size];
        }
        // Largest first, so the last items to start are the short ones.
        items.Sort((x, y) => y.Count.CompareTo(x.Count));
        var rowBins = _rowBins;
        var grad = _grad;
        var index = _index;
        var scratchHist = _scratchHist;
        Parallel.For(0, items.Count, _parallel, i =>
        {
            var (slot, start, count, scratch) = items[i];
            var h = scratch < 0 ? hist.AsSpan(slot * size, size) : scratchHist.AsSpan(scratch * size, size);
            h.Clear();
            if (rowsInOrder)
            {
                AccumulateRange(h, rowBins, features, grad, start, count);
            }
            else
            {
                Accumulate(h, rowBins, features, grad, index.AsSpan(start, count));
            }
        });
        if (merges.Count == 0)
        {
            return;
        }
        // Sum the scratch histograms into their node's, in slices of features so both threads share the work.
        var slices = Math.Min(features, 4 * threads);
        Parallel.For(0, merges.Count * slices, _parallel, item =>
        {
            var (slot, firstScratch, count) = merges[item / slices];
            var slice = item % slices;
            var from = features * slice / slices * HistPerFeature;
            var to = features * (slice + 1) / slices * HistPerFeature;
            var target = hist.AsSpan((slot * size) + from, to - from);
            for (var k = 0; k < count; k++)
            {
                Add(target, scratchHist.AsSpan(((firstScratch + k) * size) + from, to - from));
            }
        });
    }

    private static void Subtract(ReadOnlySpan<long> parent, ReadOnlySpan<long> small, Span<long> large)
    {
        var width = System.Numerics.Vector<long>.Count;
        var k = 0;
        for (; k <= parent.Length - width; k += width)
        {
            (new System.Numerics.Vector<long>(parent[k..]) - new System.Numerics.Vector<long>(small[k..])).CopyTo(large[k..]);
        }
        for (; k < parent.Length; k++)
        {
            large[k] = parent[k] - small[k];
        }
    }

    private static void Add(Span<long> target, ReadOnlySpan<long> source)
    {
        var width = System.Numerics.Vector<long>.Count;
        var k = 0;
        for (; k <= target.Length - width; k += width)
        {
            (new System.Numerics.Vector<long>(target[k..]) + new System.Numerics.Vector<long>(source[k..])).CopyTo(target[k..]);
        }
        for (; k < target.Length; k++)
        {
            target[k] += source[k];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRange(Span<long> hist, byte[] rowBins, int features, GradientPair[] grad, int start, int count)
    {
        ref var h0 = ref Unsafe.As<long, byte>(ref MemoryMarshal.GetReference(hist));
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(rowBins);
        for (var row = start; row < start + count; row++)
        {
            var gp = grad[row];
            AddRow(ref h0, ref Unsafe.Add(ref b0, (nint)row * features), features, Vector128.Create((long)gp.G, gp.H));
        }
    }

    /// <summary>
    /// Adds one row's gradient pair to its bin's cell of every feature. Unrolled by four with the features' offsets as
    /// constants, a cell costs a byte load, a shift and the 128-bit add (13 instructions in the plain loop).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref byte h0, ref byte rb, int features, Vector128<long> add)
    {
        const int Cell = 16;
        const int Feature = BinnedData.BinStride * Cell;
        var k = 0;
        for (; k <= features - 4; k += 4)
        {
            ref var hk = ref Unsafe.Add(ref h0, (nint)k * Feature);
            ref var bk = ref Unsafe.Add(ref rb, k);
            Unsafe.As<byte, Vector128<long>>(ref Unsafe.Add(ref hk, (nint)bk * Cell)) += add;
            Unsafe.As<byte, Vector128<long>>(ref Unsafe.Add(ref hk, ((nint)Unsafe.Add(ref bk, 1) * Cell) + Feature)) += add;
            Unsafe.As<byte, Vector128<long>>(ref Unsafe.Add(ref hk, ((nint)Unsafe.Add(ref bk, 2) * Cell) + (2 * Feature))) += add;
            Unsafe.As<byte, Vector128<long>>(ref Unsafe.Add(ref hk, ((nint)Unsafe.Add(ref bk, 3) * Cell) + (3 * Feature))) += add;
        }
        for (; k < features; k++)
        {
            Unsafe.As<byte, Vector128<long>>(ref Unsafe.Add(ref h0, ((nint)k * Feature) + ((nint)Unsafe.Add(ref rb, k) * Cell))) += add;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Accumulate(Span<long> hist, byte[] rowBins, int features, GradientPair[] grad, ReadOnlySpan<int> rows)
    {
        ref var h0 = ref Unsafe.As<long, byte>(ref MemoryMarshal.GetReference(hist));
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(rowBins);
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(grad);
        // A node's rows are scattered over the whole table: fetch the row a few iterations ahead so the cache misses
        // overlap instead of stalling one row at a time.
        var prefetchable = Sse.IsSupported ? rows.Length - PrefetchRows : 0;
        for (var k = 0; k < rows.Length; k++)
        {
            if (k < prefetchable)
            {
                var ahead = rows[k + PrefetchRows];
                ref var aheadBins = ref Unsafe.Add(ref b0, (nint)ahead * features);
                Sse.Prefetch0(Unsafe.AsPointer(ref aheadBins));
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref aheadBins, features - 1)));
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref g0, ahead)));
            }
            var row = rows[k];
            var gp = Unsafe.Add(ref g0, row);
            AddRow(ref h0, ref Unsafe.Add(ref b0, (nint)row * features), features, Vector128.Create((long)gp.G, gp.H));
        }
    }
}
