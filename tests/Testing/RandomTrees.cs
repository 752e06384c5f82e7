using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Testing;

/// <summary>Random but valid regression trees, for tests that need a model without training one.</summary>
public static class RandomTrees
{
    /// <summary>
    /// A complete tree of <paramref name="depth"/> in breadth-first order: thresholds uniform in
    /// [<paramref name="thresholdMin"/>, <paramref name="thresholdMin"/> + <paramref name="thresholdSpan"/>),
    /// leaf values uniform in ±<paramref name="leafScale"/>/2.
    /// </summary>
    public static RegressionTree Complete(Random random, int featureCount, int depth, double thresholdMin, double thresholdSpan, double leafScale)
    {
        var internalCount = (1 << depth) - 1;
        var split = new int[internalCount];
        var threshold = new float[internalCount];
        var left = new int[internalCount];
        var right = new int[internalCount];
        for (var i = 0; i < internalCount; i++)
        {
            split[i] = random.Next(featureCount);
            threshold[i] = (float)((random.NextDouble() * thresholdSpan) + thresholdMin);
            var l = (2 * i) + 1;
            var r = (2 * i) + 2;
            left[i] = l < internalCount ? l : ~(l - internalCount);
            right[i] = r < internalCount ? r : ~(r - internalCount);
        }
        var leaves = new float[internalCount + 1];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = (float)((random.NextDouble() - 0.5) * leafScale);
        }
        return new RegressionTree(split, threshold, left, right, leaves);
    }
}
