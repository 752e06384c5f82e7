using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// A <see cref="TreeEnsemble"/> laid out for scoring batches: every tree's nodes in one array, each node's two children
/// side by side, so a step down a tree is a compare and an add with no branch to mispredict, and every leaf a node that
/// steps into itself, so each tree is walked a fixed number of steps (its depth). A batch is walked tree by tree, eight
/// rows at a time: a tree's nodes stay in the first-level cache for the whole batch, and the eight walks are independent,
/// so the processor overlaps them instead of waiting on one chain of loads. Sums each row's trees in float32 in tree
/// order, as <see cref="TreeEnsemble.PredictMargin"/> does.
/// </summary>
public sealed class CompiledTrees
{
    private const int Lanes = 8;

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(int Feature, float Threshold, int Children, float Value);

    private readonly Node[] _nodes;
    private readonly int[] _roots;
    private readonly int[] _depths;
    private readonly float _bias;
    private readonly float _slope;
    private readonly float _offset;

    public CompiledTrees(TreeEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        FeatureCount = ensemble.FeatureCount;
        _bias = ensemble.Bias;
        _slope = ensemble.Slope;
        _offset = ensemble.Offset;
        var nodes = new List<Node>();
        _roots = new int[ensemble.Trees.Count];
        _depths = new int[ensemble.Trees.Count];
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            (_roots[t], _depths[t]) = Lay(ensemble.Trees[t], nodes);
        }
        _nodes = [.. nodes];
    }

    public int FeatureCount { get; }

    /// <summary>Probabilities of <paramref name="rows"/> rows laid out row-major in <paramref name="features"/>.</summary>
    public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities)
    {
        if (features.Length < rows * FeatureCount || probabilities.Length < rows)
        {
            throw new ArgumentException("buffers are smaller than the batch");
        }
        var sums = probabilities[..rows];
        sums.Clear();
        var full = rows - (rows % Lanes);
        for (var t = 0; t < _roots.Length; t++)
        {
            var root = _roots[t];
            var depth = _depths[t];
            for (var r = 0; r < full; r += Lanes)
            {
                WalkEight(features.Slice(r * FeatureCount, Lanes * FeatureCount), root, depth, sums.Slice(r, Lanes));
            }
            for (var r = full; r < rows; r++)
            {
                sums[r] += Walk(features.Slice(r * FeatureCount, FeatureCount), root, depth);
            }
        }
        for (var r = 0; r < rows; r++)
        {
            sums[r] = TreeEnsemble.Sigmoid((_slope * (sums[r] + _bias)) + _offset);
        }
    }

    private float Walk(ReadOnlySpan<float> row, int node, int depth)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var x = ref MemoryMarshal.GetReference(row);
        for (var d = 0; d < depth; d++)
        {
            node = Step(ref nodes, ref x, node);
        }
        return Unsafe.Add(ref nodes, node).Value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref Node nodes, ref float row, int node)
    {
        ref readonly var n = ref Unsafe.Add(ref nodes, node);
        // Not "greater than": a NaN goes right, as !(x <= threshold) sends it in TreeEnsemble and ONNX Runtime.
        return n.Children + (Unsafe.Add(ref row, n.Feature) <= n.Threshold ? 0 : 1);
    }

    private void WalkEight(ReadOnlySpan<float> block, int root, int depth, Span<float> sums)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var x0 = ref MemoryMarshal.GetReference(block);
        var width = FeatureCount;
        ref var x1 = ref Unsafe.Add(ref x0, width);
        ref var x2 = ref Unsafe.Add(ref x1, width);
        ref var x3 = ref Unsafe.Add(ref x2, width);
        ref var x4 = ref Unsafe.Add(ref x3, width);
        ref var x5 = ref Unsafe.Add(ref x4, width);
        ref var x6 = ref Unsafe.Add(ref x5, width);
        ref var x7 = ref Unsafe.Add(ref x6, width);
        int n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
        for (var d = 0; d < depth; d++)
        {
            n0 = Step(ref nodes, ref x0, n0);
            n1 = Step(ref nodes, ref x1, n1);
            n2 = Step(ref nodes, ref x2, n2);
            n3 = Step(ref nodes, ref x3, n3);
            n4 = Step(ref nodes, ref x4, n4);
            n5 = Step(ref nodes, ref x5, n5);
            n6 = Step(ref nodes, ref x6, n6);
            n7 = Step(ref nodes, ref x7, n7);
        }
        sums[0] += Unsafe.Add(ref nodes, n0).Value;
        sums[1] += Unsafe.Add(ref nodes, n1).Value;
        sums[2] += Unsafe.Add(ref nodes, n2).Value;
        sums[3] += Unsafe.Add(ref nodes, n3).Value;
        sums[4] += Unsafe.Add(ref nodes, n4).Value;
        sums[5] += Unsafe.Add(ref nodes, n5).Value;
        sums[6] += Unsafe.Add(ref nodes, n6).Value;
        sums[7] += Unsafe.Add(ref nodes, n7).Value;
    }

    /// <summary>
    /// Rows that test every split of <paramref name="ensemble"/> where two evaluators of it could part ways: each value a
    /// split threshold of its feature, the float just above or below one, NaN, zero or a value between the thresholds,
    /// drawn with a fixed seed, so the same model always gets the same rows.
    /// </summary>
    public static float[] ProbeRows(TreeEnsemble ensemble, int rows)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var thresholds = new List<float>[ensemble.FeatureCount];
        for (var f = 0; f < thresholds.Length; f++)
        {
            thresholds[f] = [];
        }
        foreach (var tree in ensemble.Trees)
        {
            for (var i = 0; i < tree.InternalNodeCount; i++)
            {
                thresholds[tree.SplitFeature[i]].Add(tree.Threshold[i]);
            }
        }
        var random = new Random(20261205);
        var values = new float[rows * ensemble.FeatureCount];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < thresholds.Length; f++)
            {
                values[(r * thresholds.Length) + f] = ProbeValue(thresholds[f], random);
            }
        }
        return values;
    }

    private static float ProbeValue(List<float> thresholds, Random random)
    {
        var kind = random.Next(8);
        if (kind == 5)
        {
            return float.NaN;
        }
        if (thresholds.Count == 0 || kind == 6)
        {
            return 0f;
        }
        var threshold = thresholds[random.Next(thresholds.Count)];
        return kind switch
        {
            3 => MathF.BitIncrement(threshold),
            4 => MathF.BitDecrement(threshold),
            7 => threshold + ((float)random.NextDouble() - 0.5f),
            _ => threshold,
        };
    }

    /// <summary>
    /// Lays one tree out: its root, then each internal node's children as a pair of adjacent nodes; a leaf steps into a
    /// pair of copies of itself, so whichever way a row goes from a leaf it stays on the leaf's value.
    /// </summary>
    /// <returns>The root's index and the tree's depth (steps from the root to its deepest leaf).</returns>
    private static (int Root, int Depth) Lay(RegressionTree tree, List<Node> nodes)
    {
        var root = nodes.Count;
        nodes.Add(default);
        var depth = 0;
        var pending = new Queue<(int Slot, int Original, int Level)>();
        // A negative original is the leaf ~original, as in RegressionTree; a tree without internal nodes is leaf 0.
        pending.Enqueue((root, tree.InternalNodeCount == 0 ? ~0 : 0, 0));
        while (pending.Count > 0)
        {
            var (slot, original, level) = pending.Dequeue();
            depth = Math.Max(depth, level);
            var children = nodes.Count;
            nodes.Add(default);
            nodes.Add(default);
            if (original < 0)
            {
                var value = tree.LeafValues[~original];
                nodes[slot] = new Node(0, 0f, children, value);
                nodes[children] = new Node(0, 0f, children, value);
                nodes[children + 1] = new Node(0, 0f, children, value);
                continue;
            }
            nodes[slot] = new Node(tree.SplitFeature[original], tree.Threshold[original], children, 0f);
            pending.Enqueue((children, tree.Left[original], level + 1));
            pending.Enqueue((children + 1, tree.Right[original], level + 1));
        }
        return (root, depth);
    }
}
