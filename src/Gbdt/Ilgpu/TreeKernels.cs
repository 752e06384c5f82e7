using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>Device code that ends a round: the finished tree added to every row's margin, and the loss sample.</summary>
internal static class TreeKernels
{
    /// <summary>
    /// Walks the tree over the row's bins and adds its leaf to the margin (every row, sampled or not). The tree is one int
    /// array: split features, split bins, left and right children (a negative child c is leaf ~c), then the leaf values'
    /// float bits, each part <paramref name="nodes"/> long but the leaves (nodes + 1).
    /// </summary>
    public static void AddTree<TOps>(Index1D row, ArrayView<byte> rowBins, ArrayView<double> margin, ArrayView<int> tree, int nodes, int featureCount)
        where TOps : struct, IFloatOps
    {
        var node = nodes > 0 ? 0 : ~0;
        while (node >= 0)
        {
            var bin = rowBins[((long)(int)row * featureCount) + tree[node]];
            node = bin <= tree[nodes + node] ? tree[(2 * nodes) + node] : tree[(3 * nodes) + node];
        }
        margin[row] = default(TOps).Add(margin[row], Interop.IntAsFloat((uint)tree[(4 * nodes) + ~node]));
    }

    /// <summary>Every stride-th margin, for the reported training loss.</summary>
    public static void Gather(Index1D k, ArrayView<double> margin, ArrayView<double> sample, int stride) => sample[k] = margin[(long)(int)k * stride];
}
