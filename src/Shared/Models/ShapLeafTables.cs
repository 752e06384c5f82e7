using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// The same exact path-dependent TreeSHAP contributions as <see cref="TreeShap"/>'s recursion for one tree, from
/// tables computed once per model (the idea of Fast TreeSHAP v2, Yang 2021): O(leaves · depth) per row instead of
/// O(leaves · depth²).
/// </summary>
/// <remarks>
/// A leaf's share of a feature's Shapley value depends on the row only through which of the distinct features on its
/// path the row satisfies (its "hot" set H; a feature split on twice is hot when the row takes both of its edges).
/// With z<sub>j</sub> the cover share of the path's edges on feature j, u the path's distinct features, v the leaf's
/// value and w(k) = k!(u−k−1)!/u!, let C(H) = Π<sub>j∉H</sub> z<sub>j</sub> and
/// G(A) = Σ<sub>S⊆A</sub> w(|S|) Π<sub>j∈A∖S</sub> z<sub>j</sub>. Then a hot feature i gets
/// v (1 − z<sub>i</sub>) C(H) G(H ∖ {i}) and every cold one gets −v C(H) G(H). v·G·C is tabled per leaf for all 2^u
/// subsets (see <see cref="Credit"/>). A walk down the tree carries H as a bit mask: each node knows its feature's
/// position among the distinct features above it, and the branch the row does not take clears that bit.
/// </remarks>
internal sealed class ShapLeafTables
{
    /// <summary>Distinct features on a leaf's path beyond which a tree keeps the recursion (a leaf's table has 2^u entries).</summary>
    public const int MaxDistinct = 12;

    private readonly ShapTree _tree;
    private readonly byte[] _slot;
    private readonly int[] _leafElements;
    private readonly byte[] _leafDistinct;
    private readonly int[] _leafTable;
    private readonly int[] _elementFeature;
    private readonly double[] _elementZero;
    private readonly double[] _elementHotRatio;
    private readonly bool[] _leafHasEmptyEdge;
    private readonly double[] _weighted;

    private ShapLeafTables(ShapTree tree, Layout layout)
    {
        _tree = tree;
        _slot = layout.Slot;
        _leafElements = layout.LeafElements;
        _leafDistinct = layout.LeafDistinct;
        _leafTable = layout.LeafTable;
        _elementFeature = layout.ElementFeature.ToArray();
        _elementZero = layout.ElementZero.ToArray();
        _elementHotRatio = _elementZero.Select(z => (1d - z) / z).ToArray();
        _leafHasEmptyEdge = new bool[_leafDistinct.Length];
        for (var leaf = 0; leaf < _leafDistinct.Length; leaf++)
        {
            _leafHasEmptyEdge[leaf] = _elementZero.AsSpan(_leafElements[leaf], _leafDistinct[leaf]).Contains(0d);
        }
        _weighted = new double[layout.TableEntries];
        for (var leaf = 0; leaf < _leafDistinct.Length; leaf++)
        {
            FillTable(leaf);
        }
    }

    /// <summary>The tables for <paramref name="tree"/> when it has splits, each leaf's path at most <see cref="MaxDistinct"/> distinct features and all its tables fit <paramref name="budget"/> entries (then taken from it); else null.</summary>
    public static ShapLeafTables? TryBuild(ShapTree tree, ref long budget)
    {
        if (tree.Feature.Length == 0)
        {
            return null;
        }
        var layout = new Layout(tree);
        if (!layout.Fits || layout.TableEntries > budget)
        {
            return null;
        }
        budget -= layout.TableEntries;
        return new ShapLeafTables(tree, layout);
    }

    /// <summary>Adds this tree's contributions for <paramref name="row"/> to <paramref name="phi"/>.</summary>
    /// <remarks>
    /// Follows the row's branch and keeps the other (with that node's bit cleared) on a stack, one per level, until
    /// every leaf is credited; a stack instead of recursion, as a call per node costs more than the node's work.
    /// </remarks>
    public void Add(ReadOnlySpan<float> row, Span<double> phi)
    {
        var tree = _tree;
        Span<long> pending = stackalloc long[tree.Depth + 1];
        var top = 0;
        pending[top++] = PackPending(0, -1);
        while (top > 0)
        {
            var next = pending[--top];
            var (node, hot) = ((int)(next >> 32), (int)next);
            while (node >= 0)
            {
                var goesLeft = row[tree.Feature[node]] <= tree.Threshold[node];
                pending[top++] = PackPending(goesLeft ? tree.Right[node] : tree.Left[node], hot & ~(1 << _slot[node]));
                node = goesLeft ? tree.Left[node] : tree.Right[node];
            }
            Credit(~node, hot, phi);
        }
    }

    private static long PackPending(int node, int hot) => ((long)node << 32) | (uint)hot;

    /// <summary>
    /// Every cold feature gets −T[H] and a hot feature i gets (1 − z<sub>i</sub>)/z<sub>i</sub> · T[H ∖ {i}], with
    /// T[A] = v·G(A)·C(A) tabled: one pass over the cold bits, one over the hot. A leaf with an edge no training row took
    /// (z = 0) cannot divide by it and credits through the product instead (<see cref="CreditThroughProduct"/>).
    /// </summary>
    private void Credit(int leaf, int hot, Span<double> phi)
    {
        int u = _leafDistinct[leaf], first = _leafElements[leaf];
        var h = hot & ((1 << u) - 1);
        ref var table = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weighted), _leafTable[leaf]);
        if (_leafHasEmptyEdge[leaf])
        {
            CreditThroughProduct(ref table, first, u, h, phi);
            return;
        }
        ref var features = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_elementFeature), first);
        ref var ratios = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_elementHotRatio), first);
        var coldCredit = -Unsafe.Add(ref table, h);
        var cold = ~h & ((1 << u) - 1);
        for (; cold != 0; cold &= cold - 1)
        {
            phi[Unsafe.Add(ref features, BitOperations.TrailingZeroCount(cold))] += coldCredit;
        }
        for (var hotBits = h; hotBits != 0; hotBits &= hotBits - 1)
        {
            var j = BitOperations.TrailingZeroCount(hotBits);
            phi[Unsafe.Add(ref features, j)] += Unsafe.Add(ref ratios, j) * Unsafe.Add(ref table, h ^ (1 << j));
        }
    }

    /// <summary>The credit with C(H) = Π<sub>j∉H</sub> z<sub>j</sub> multiplied out, for a leaf whose table holds v·G(A) alone.</summary>
    private void CreditThroughProduct(ref double table, int first, int u, int h, Span<double> phi)
    {
        var coldProduct = 1d;
        for (var j = 0; j < u; j++)
        {
            if ((h & (1 << j)) == 0)
            {
                coldProduct *= _elementZero[first + j];
            }
        }
        var coldCredit = -coldProduct * Unsafe.Add(ref table, h);
        for (var j = 0; j < u; j++)
        {
            phi[_elementFeature[first + j]] += (h & (1 << j)) == 0
                ? coldCredit
                : (1d - _elementZero[first + j]) * coldProduct * Unsafe.Add(ref table, h ^ (1 << j));
        }
    }

    /// <summary>v·G(A) for every subset A of the leaf's distinct features, through the elementary symmetric polynomials of their z.</summary>
    private void FillTable(int leaf)
    {
        int u = _leafDistinct[leaf], first = _leafElements[leaf], at = _leafTable[leaf];
        var value = _tree.Leaf[leaf];
        // w(u) stays 0: G of the whole set is never read (with every feature hot there is no cold credit).
        var weight = new double[u + 1];
        for (var k = 0; k < u; k++)
        {
            weight[k] = Math.Exp(LogFactorial(k) + LogFactorial(u - k - 1) - LogFactorial(u));
        }
        // symmetric[A · (u + 1) + m] = e_m of A's zero fractions; A's polynomial is A-without-its-lowest-bit's times (1 + z t).
        var symmetric = new double[(1 << u) * (u + 1)];
        symmetric[0] = 1d;
        for (var set = 1; set < 1 << u; set++)
        {
            var low = BitOperations.TrailingZeroCount(set);
            var z = _elementZero[first + low];
            var (from, to) = ((set & (set - 1)) * (u + 1), set * (u + 1));
            for (var m = 0; m <= u; m++)
            {
                symmetric[to + m] = symmetric[from + m] + (m > 0 ? z * symmetric[from + m - 1] : 0d);
            }
        }
        for (var set = 0; set < 1 << u; set++)
        {
            var size = BitOperations.PopCount((uint)set);
            var sum = 0d;
            for (var m = 0; m <= size; m++)
            {
                sum += weight[size - m] * symmetric[(set * (u + 1)) + m];
            }
            _weighted[at + set] = value * sum * (_leafHasEmptyEdge[leaf] ? 1d : ProductOutside(first, u, set));
        }
    }

    /// <summary>C(A): the product of the zero fractions of the leaf's distinct features outside <paramref name="set"/>.</summary>
    private double ProductOutside(int first, int u, int set)
    {
        var product = 1d;
        for (var j = 0; j < u; j++)
        {
            product *= (set & (1 << j)) == 0 ? _elementZero[first + j] : 1d;
        }
        return product;
    }

    private static double LogFactorial(int n) => n < 2 ? 0d : LogFactorial(n - 1) + Math.Log(n);

    /// <summary>Where each leaf's distinct features, their cover shares and its table lie, found by one walk of the tree.</summary>
    private sealed class Layout
    {
        public Layout(ShapTree tree)
        {
            Slot = new byte[tree.Feature.Length];
            LeafElements = new int[tree.Leaf.Length];
            LeafDistinct = new byte[tree.Leaf.Length];
            LeafTable = new int[tree.Leaf.Length];
            Fits = true;
            Visit(tree, 0, [], []);
        }

        public byte[] Slot { get; }
        public int[] LeafElements { get; }
        public byte[] LeafDistinct { get; }
        public int[] LeafTable { get; }
        public List<int> ElementFeature { get; } = [];
        public List<double> ElementZero { get; } = [];
        public long TableEntries { get; private set; }
        public bool Fits { get; private set; }

        private void Visit(ShapTree tree, int node, List<int> features, List<double> zeros)
        {
            if (node < 0)
            {
                var leaf = ~node;
                if (features.Count > MaxDistinct || !Fits)
                {
                    Fits = false;
                    return;
                }
                LeafElements[leaf] = ElementFeature.Count;
                LeafDistinct[leaf] = (byte)features.Count;
                LeafTable[leaf] = (int)TableEntries;
                ElementFeature.AddRange(features);
                ElementZero.AddRange(zeros);
                TableEntries += 1L << features.Count;
                Fits = TableEntries <= int.MaxValue;
                return;
            }
            var feature = tree.Feature[node];
            var slot = features.IndexOf(feature);
            if (slot < 0)
            {
                slot = features.Count;
                features = [.. features, feature];
                zeros = [.. zeros, 1d];
            }
            Slot[node] = (byte)Math.Min(slot, 31);
            foreach (var (child, share) in new[] { (tree.Left[node], tree.LeftShare[node]), (tree.Right[node], 1d - tree.LeftShare[node]) })
            {
                var below = new List<double>(zeros);
                below[slot] *= share;
                Visit(tree, child, features, below);
            }
        }
    }
}
