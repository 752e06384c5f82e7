namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Exact, path-dependent TreeSHAP (Lundberg, Erion and Lee, "Consistent individualized feature attribution for tree
/// ensembles", 2018, algorithm 2) over a <see cref="TreeEnsemble"/>: per row, each feature's Shapley value for the
/// model's output in log-odds, <c>Slope · (Bias + Σ trees) + Offset</c>, where a feature left out of a coalition is
/// integrated out by following both branches of its splits weighted by the training rows that went each way
/// (<see cref="RegressionTree.Cover"/>). The contributions plus <see cref="ExpectedValue"/> add up to the output
/// (local accuracy). Allocates nothing (<see cref="ShapWorkspace"/>). A tree whose paths split on few distinct features
/// is walked with per-leaf tables computed once per model (<see cref="ShapLeafTables"/>, O(leaves · depth) per row);
/// the others by the recursion, O(leaves · depth²).
/// </summary>
/// <remarks>
/// Written by hand: no maintained .NET library computes TreeSHAP, and the scorer needs it without allocation on its
/// own flat tree layout. A tree without covers (a package written before they were recorded) splits its weight evenly
/// at every node: still exact Shapley values and local accuracy, of a uniform rather than the training distribution
/// (<see cref="UsesTrainingCovers"/>).
/// </remarks>
public sealed class TreeShap
{
    /// <summary>Table entries (doubles, 8 bytes each) one model may spend on <see cref="ShapLeafTables"/>: 16 MiB.</summary>
    public const long DefaultTableBudget = 2L << 20;

    private readonly ShapTree[] _trees;
    private readonly ShapLeafTables?[] _tables;
    private readonly double _slope;

    public TreeShap(TreeEnsemble ensemble)
        : this(ensemble, DefaultTableBudget)
    {
    }

    /// <param name="ensemble">the model.</param>
    /// <param name="tableBudget">table entries the trees may use, in order, for the tabled walk; the rest (and any tree with a leaf past <see cref="ShapLeafTables.MaxDistinct"/> distinct features) keep the recursion. Both give the same values.</param>
    public TreeShap(TreeEnsemble ensemble, long tableBudget)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ensemble.Validate();
        FeatureCount = ensemble.FeatureCount;
        _slope = ensemble.Slope;
        _trees = ensemble.Trees.Select(t => new ShapTree(t)).ToArray();
        _tables = new ShapLeafTables?[_trees.Length];
        for (var t = 0; t < _trees.Length; t++)
        {
            _tables[t] = ShapLeafTables.TryBuild(_trees[t], ref tableBudget);
        }
        TabledTrees = _tables.Count(t => t is not null);
        UsesTrainingCovers = ensemble.Trees.All(t => t.Cover is not null);
        MaxDepth = _trees.Length == 0 ? 0 : _trees.Max(t => t.Depth);
        var expected = (double)ensemble.Bias;
        foreach (var tree in _trees)
        {
            expected += tree.Expected;
        }
        ExpectedValue = (_slope * expected) + ensemble.Offset;
    }

    public int FeatureCount { get; }

    /// <summary>The output (log-odds) averaged over the training rows: what the contributions are measured from.</summary>
    public double ExpectedValue { get; }

    /// <summary>Whether every tree carries training covers (else some are weighed evenly; see the remarks).</summary>
    public bool UsesTrainingCovers { get; }

    /// <summary>The deepest leaf's depth (internal nodes above it), which sizes the workspace.</summary>
    public int MaxDepth { get; }

    /// <summary>Trees explained through precomputed leaf tables (the others by the recursion).</summary>
    public int TabledTrees { get; }

    public ShapWorkspace CreateWorkspace() => new(MaxDepth, FeatureCount);

    /// <summary>
    /// Explains one row into <see cref="ShapWorkspace.Contributions"/> (one value per feature, log-odds).
    /// </summary>
    /// <exception cref="ArgumentException">the row or the workspace does not fit this model.</exception>
    public void Explain(ReadOnlySpan<float> row, ShapWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        Explain(row, workspace.Contributions, workspace);
    }

    /// <summary>
    /// Explains <c>rows.Length / FeatureCount</c> rows (one after another) into <paramref name="contributions"/> (the
    /// same layout: one value per feature and row, log-odds). Tree by tree over all the rows, so each tree's tables are
    /// read from memory once per call rather than once per row: explaining a batch's rows together costs less per row.
    /// </summary>
    /// <exception cref="ArgumentException">the rows, the contributions or the workspace do not fit this model.</exception>
    public void Explain(ReadOnlySpan<float> rows, Span<double> contributions, ShapWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (rows.Length % FeatureCount != 0 || contributions.Length != rows.Length || workspace.Contributions.Length != FeatureCount
            || workspace.MaxDepth < MaxDepth)
        {
            throw new ArgumentException("the rows, the contributions or the workspace were made for another model");
        }
        contributions.Clear();
        var path = workspace.Path.AsSpan();
        var count = rows.Length / FeatureCount;
        for (var t = 0; t < _trees.Length; t++)
        {
            var tree = _trees[t];
            var tables = _tables[t];
            if (tables is null && tree.Feature.Length == 0)
            {
                continue;
            }
            for (var r = 0; r < count; r++)
            {
                var row = rows.Slice(r * FeatureCount, FeatureCount);
                var phi = contributions.Slice(r * FeatureCount, FeatureCount);
                if (tables is not null)
                {
                    tables.Add(row, phi);
                }
                else
                {
                    Recurse(tree, 0, row, phi, [], path, 1d, 1d, -1);
                }
            }
        }
        if (_slope != 1d)
        {
            foreach (ref var value in contributions)
            {
                value *= _slope;
            }
        }
    }

    /// <summary>
    /// Extends the parent's path by the edge into <paramref name="node"/> (copying it into this level's segment of
    /// <paramref name="free"/>), then either credits the leaf's value to every feature on the path or descends both
    /// children: the row's ("hot") branch with its cover share and the row's vote, the other ("cold") with its share only.
    /// </summary>
    private static void Recurse(ShapTree tree, int node, ReadOnlySpan<float> row, Span<double> phi, ReadOnlySpan<ShapPathElement> parent,
        Span<ShapPathElement> free, double zero, double one, int feature)
    {
        var length = parent.Length + 1;
        var path = free[..length];
        parent.CopyTo(path);
        Extend(path, zero, one, feature);
        var rest = free[length..];

        if (node < 0)
        {
            CreditLeaf(path, phi, tree.Leaf[~node]);
            return;
        }

        var split = tree.Feature[node];
        var goesLeft = row[split] <= tree.Threshold[node];
        var hot = goesLeft ? tree.Left[node] : tree.Right[node];
        var cold = goesLeft ? tree.Right[node] : tree.Left[node];
        var hotShare = goesLeft ? tree.LeftShare[node] : 1d - tree.LeftShare[node];

        // A feature split on again: its earlier edge leaves the path and its fractions carry over.
        double inZero = 1d, inOne = 1d;
        for (var k = 1; k < length; k++)
        {
            if (path[k].Feature == split)
            {
                inZero = path[k].Zero;
                inOne = path[k].One;
                Unwind(path, k);
                length--;
                break;
            }
        }
        var kept = path[..length];
        Descend(tree, hot, row, phi, kept, rest, inZero * hotShare, inOne, split);
        Descend(tree, cold, row, phi, kept, rest, inZero * (1d - hotShare), 0d, split);
    }

    /// <summary>Where neither the row nor any cover goes, every weight below is zero: the branch adds nothing and is skipped.</summary>
    private static void Descend(ShapTree tree, int node, ReadOnlySpan<float> row, Span<double> phi, ReadOnlySpan<ShapPathElement> parent,
        Span<ShapPathElement> free, double zero, double one, int feature)
    {
        if (zero > 0d || one > 0d)
        {
            Recurse(tree, node, row, phi, parent, free, zero, one, feature);
        }
    }

    /// <summary>Appends an element and updates the weights of every subset size (the path holds one element too many on entry).</summary>
    private static void Extend(Span<ShapPathElement> path, double zero, double one, int feature)
    {
        var l = path.Length - 1; // elements before this one
        path[l] = new ShapPathElement { Feature = feature, Zero = zero, One = one, Weight = l == 0 ? 1d : 0d };
        var perSize = Reciprocal(l + 1);
        var oneBySize = one * perSize;
        var zeroBySize = zero * perSize;
        for (var i = l - 1; i >= 0; i--)
        {
            var weight = path[i].Weight;
            path[i + 1].Weight += oneBySize * weight * (i + 1);
            path[i].Weight = zeroBySize * weight * (l - i);
        }
    }

    /// <summary>Removes element <paramref name="k"/>, undoing its <see cref="Extend"/> on the weights.</summary>
    private static void Unwind(Span<ShapPathElement> path, int k)
    {
        var length = path.Length;
        var one = path[k].One;
        var zero = path[k].Zero;
        var next = path[length - 1].Weight;
        for (var j = length - 2; j >= 0; j--)
        {
            if (one != 0d)
            {
                var old = path[j].Weight;
                path[j].Weight = next * length / ((j + 1) * one);
                next = old - (path[j].Weight * zero * (length - 1 - j) / length);
            }
            else
            {
                path[j].Weight = path[j].Weight * length / (zero * (length - 1 - j));
            }
        }
        for (var j = k; j < length - 1; j++)
        {
            path[j].Feature = path[j + 1].Feature;
            path[j].Zero = path[j + 1].Zero;
            path[j].One = path[j + 1].One;
        }
    }

    /// <summary>
    /// Credits a leaf's value to every feature on its path but the root's placeholder (element 0, feature -1), each by
    /// the total weight <see cref="Unwind"/> would leave after removing its element. In path-dependent TreeSHAP One is
    /// always 0 or 1 (the row takes an edge or not). The cold elements' (One = 0) sums differ only by their own 1/Zero,
    /// so their common sum is computed once; the hot elements' (One = 1) sums are each one dependency chain, so up to
    /// four run side by side (<see cref="HotUnwoundSums"/>). Each element of a path has its own feature, so the order
    /// of the credits does not change the result.
    /// </summary>
    private static void CreditLeaf(ReadOnlySpan<ShapPathElement> path, Span<double> phi, double value)
    {
        var coldSum = double.NaN;
        Span<int> hot = stackalloc int[4];
        var pending = 0;
        for (var i = 1; i < path.Length; i++)
        {
            ref readonly var e = ref path[i];
            if (e.One != 0d)
            {
                hot[pending++] = i;
                if (pending == hot.Length)
                {
                    HotUnwoundSums(path, phi, value, hot, pending);
                    pending = 0;
                }
                continue;
            }
            if (double.IsNaN(coldSum))
            {
                coldSum = ColdUnwoundSum(path);
            }
            phi[e.Feature] += coldSum / e.Zero * (e.One - e.Zero) * value;
        }
        if (pending > 0)
        {
            HotUnwoundSums(path, phi, value, hot, pending);
        }
    }

    /// <summary>
    /// Credits the hot elements <paramref name="hot"/>[..<paramref name="count"/>] (at most four): each one's unwound
    /// total, four independent chains in one loop (unused lanes carry Zero = 0 and are dropped). Multiplications by
    /// reciprocals instead of divisions: a division's latency is several multiplications'.
    /// </summary>
    private static void HotUnwoundSums(ReadOnlySpan<ShapPathElement> path, Span<double> phi, double value, ReadOnlySpan<int> hot, int count)
    {
        var length = path.Length;
        var perLength = Reciprocal(length);
        var z0 = path[hot[0]].Zero;
        var z1 = count > 1 ? path[hot[1]].Zero : 0d;
        var z2 = count > 2 ? path[hot[2]].Zero : 0d;
        var z3 = count > 3 ? path[hot[3]].Zero : 0d;
        double zl0 = z0 * perLength, zl1 = z1 * perLength, zl2 = z2 * perLength, zl3 = z3 * perLength;
        var last = path[length - 1].Weight;
        double n0 = last, n1 = last, n2 = last, n3 = last;
        double t0 = 0d, t1 = 0d, t2 = 0d, t3 = 0d;
        for (var j = length - 2; j >= 0; j--)
        {
            var up = length * Reciprocal(j + 1);
            var down = (double)(length - 1 - j);
            var weight = path[j].Weight;
            var w0 = n0 * up;
            var w1 = n1 * up;
            var w2 = n2 * up;
            var w3 = n3 * up;
            t0 += w0;
            t1 += w1;
            t2 += w2;
            t3 += w3;
            n0 = weight - (w0 * zl0 * down);
            n1 = weight - (w1 * zl1 * down);
            n2 = weight - (w2 * zl2 * down);
            n3 = weight - (w3 * zl3 * down);
        }
        phi[path[hot[0]].Feature] += t0 * (1d - z0) * value;
        if (count > 1)
        {
            phi[path[hot[1]].Feature] += t1 * (1d - z1) * value;
        }
        if (count > 2)
        {
            phi[path[hot[2]].Feature] += t2 * (1d - z2) * value;
        }
        if (count > 3)
        {
            phi[path[hot[3]].Feature] += t3 * (1d - z3) * value;
        }
    }

    /// <summary>
    /// Times 1/Zero, the total weight <see cref="Unwind"/> would leave after removing an element the row does not
    /// follow (One = 0): the same for every such element of the path, so computed once per leaf.
    /// </summary>
    private static double ColdUnwoundSum(ReadOnlySpan<ShapPathElement> path)
    {
        var length = path.Length;
        var total = 0d;
        for (var j = length - 2; j >= 0; j--)
        {
            total += path[j].Weight * Reciprocal(length - 1 - j);
        }
        return total * length;
    }

    /// <summary>1/<paramref name="n"/> from a table for the path lengths trees have (up to 63 levels), computed past them.</summary>
    private static double Reciprocal(int n) => (uint)n < (uint)Reciprocals.Length ? Reciprocals[n] : 1d / n;

    private static readonly double[] Reciprocals = Enumerable.Range(0, 66).Select(n => n == 0 ? double.PositiveInfinity : 1d / n).ToArray();
}
