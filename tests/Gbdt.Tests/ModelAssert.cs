using Xunit.Sdk;

namespace Fraud.Streaming.Gbdt.Tests;

/// <summary>Compares two models tree by tree: same structure, splits and thresholds; leaf values within a tolerance.</summary>
internal static class ModelAssert
{
    public static void SameTrees(GbdtModel expected, GbdtModel actual, double leafTolerance)
    {
        Assert.Equal(expected.BaseMargin, actual.BaseMargin);
        Assert.Equal(expected.BestRound, actual.BestRound);
        Assert.Equal(expected.Trees.Count, actual.Trees.Count);
        for (var t = 0; t < expected.Trees.Count; t++)
        {
            var a = expected.Trees[t];
            var b = actual.Trees[t];
            if (!a.SplitFeature.SequenceEqual(b.SplitFeature) || !a.Threshold.SequenceEqual(b.Threshold)
                || !a.Left.SequenceEqual(b.Left) || !a.Right.SequenceEqual(b.Right))
            {
                throw new XunitException($"tree {t} differs: features [{string.Join(',', a.SplitFeature)}] vs [{string.Join(',', b.SplitFeature)}], "
                    + $"thresholds [{string.Join(',', a.Threshold)}] vs [{string.Join(',', b.Threshold)}]");
            }
            Assert.Equal(a.LeafValues.Length, b.LeafValues.Length);
            for (var l = 0; l < a.LeafValues.Length; l++)
            {
                Assert.True(Math.Abs(a.LeafValues[l] - b.LeafValues[l]) <= leafTolerance,
                    $"tree {t} leaf {l}: {a.LeafValues[l]} vs {b.LeafValues[l]}");
            }
        }
    }
}
