namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Node covers (<see cref="RegressionTree.Cover"/>) from the rows a model was trained on: each row is sent down every
/// tree and counted at every node it passes. The same routing for every algorithm (our GBDT and LightGBM alike), so
/// the reason codes weigh branches by the data the trees were grown on, whichever library grew them. A parent's cover
/// is the sum of its children's by construction.
/// </summary>
public static class TreeCovers
{
    /// <summary>The ensemble with every tree's covers counted over <paramref name="rows"/> (row-major, <see cref="TreeEnsemble.FeatureCount"/> per row).</summary>
    /// <exception cref="ArgumentException">the rows are not whole feature vectors, or there are none.</exception>
    public static TreeEnsemble Count(TreeEnsemble ensemble, ReadOnlyMemory<float> rows)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var f = ensemble.FeatureCount;
        if (rows.Length == 0 || rows.Length % f != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not whole rows of {f} features (and at least one row)", nameof(rows));
        }
        var trees = new RegressionTree[ensemble.Trees.Count];
        Parallel.For(0, trees.Length, t => trees[t] = Count(ensemble.Trees[t], rows.Span, f));
        return ensemble with { Trees = trees };
    }

    private static RegressionTree Count(RegressionTree tree, ReadOnlySpan<float> rows, int featureCount)
    {
        var n = tree.InternalNodeCount;
        var counts = new long[(2 * n) + 1];
        var rowCount = rows.Length / featureCount;
        for (var r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * featureCount, featureCount);
            if (n == 0)
            {
                counts[0]++;
                continue;
            }
            var node = 0;
            while (node >= 0)
            {
                counts[node]++;
                node = row[tree.SplitFeature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
            }
            counts[n + ~node]++;
        }
        var cover = new float[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            cover[i] = counts[i];
        }
        return tree with { Cover = cover };
    }
}
