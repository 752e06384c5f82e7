namespace Fraud.Streaming.Shared.Models;

/// <summary>A tree in the arrays the recursion reads, with each node's left-branch share of the cover precomputed.</summary>
internal sealed class ShapTree
{
    public ShapTree(RegressionTree tree)
    {
        var n = tree.InternalNodeCount;
        Feature = tree.SplitFeature;
        Threshold = tree.Threshold;
        Left = tree.Left;
        Right = tree.Right;
        Leaf = tree.LeafValues.Select(v => (double)v).ToArray();
        LeftShare = new double[n];
        var subtreeCover = new double[(2 * n) + 1];
        for (var i = 0; i < subtreeCover.Length; i++)
        {
            subtreeCover[i] = tree.Cover?[i] ?? 1d;
        }
        for (var i = 0; i < n; i++)
        {
            var left = subtreeCover[Index(tree.Left[i], n)];
            var right = subtreeCover[Index(tree.Right[i], n)];
            // Shares of the children's covers, so they sum to one even where a cover was rounded; an empty pair splits evenly.
            LeftShare[i] = tree.Cover is null || left + right <= 0d ? 0.5 : left / (left + right);
        }
        Depth = n == 0 ? 0 : DepthOf(0);
        Expected = n == 0 ? Leaf[0] : ExpectedOf(0);
    }

    public int[] Feature { get; }
    public float[] Threshold { get; }
    public int[] Left { get; }
    public int[] Right { get; }
    public double[] Leaf { get; }
    public double[] LeftShare { get; }
    public int Depth { get; }
    public double Expected { get; }

    private static int Index(int child, int internalCount) => child >= 0 ? child : internalCount + ~child;

    private int DepthOf(int node) => node < 0 ? 0 : 1 + Math.Max(DepthOf(Left[node]), DepthOf(Right[node]));

    private double ExpectedOf(int node) => node < 0
        ? Leaf[~node]
        : (LeftShare[node] * ExpectedOf(Left[node])) + ((1d - LeftShare[node]) * ExpectedOf(Right[node]));
}
