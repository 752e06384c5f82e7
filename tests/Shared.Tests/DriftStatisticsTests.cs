using Fraud.Streaming.Shared.Drift;

namespace Fraud.Streaming.Shared.Tests;

public sealed class DriftStatisticsTests
{
    [Fact]
    public void Deciles_of_a_uniform_sample_hold_a_tenth_each_and_bin_values_by_the_shared_rule()
    {
        var values = Enumerable.Range(1, 1000).Select(i => (float)i).Reverse().ToArray();

        var bins = QuantileBins.Of(values);

        Assert.Equal([100f, 200f, 300f, 400f, 500f, 600f, 700f, 800f, 900f], bins.Edges);
        Assert.All(bins.Shares, s => Assert.Equal(0.1, s, 12));
        var edges = bins.Edges.ToArray();
        Assert.Equal(0, QuantileBins.BinOf(edges, -5f));
        Assert.Equal(0, QuantileBins.BinOf(edges, 100f));
        Assert.Equal(1, QuantileBins.BinOf(edges, 100.5f));
        Assert.Equal(9, QuantileBins.BinOf(edges, 900.01f));
        Assert.Equal(9, QuantileBins.BinOf(edges, float.NaN));
    }

    [Fact]
    public void Counting_the_edges_a_value_exceeds_bins_as_a_binary_search_does_for_short_and_long_edge_lists()
    {
        var random = new Random(17);
        float[] special = [float.NaN, float.NegativeInfinity, float.PositiveInfinity, 0f, -0f, float.Epsilon, float.MaxValue];
        foreach (var count in new[] { 0, 1, 2, 9, QuantileBins.MaxCountedEdges, QuantileBins.MaxCountedEdges + 1, 40 })
        {
            for (var trial = 0; trial < 50; trial++)
            {
                // Edges as QuantileBins.Of makes them: sorted, distinct, never NaN.
                var edges = Enumerable.Range(0, count * 2).Select(_ => (float)Math.Round((random.NextDouble() * 20) - 10, 1))
                    .Distinct().Order().Take(count).ToArray();
                var values = edges.Concat(special).Concat(Enumerable.Range(0, 30).Select(_ => (float)((random.NextDouble() * 24) - 12)));
                foreach (var value in values)
                {
                    Assert.Equal(BinarySearchBin(edges, value), QuantileBins.BinOf(edges, value));
                }
            }
        }
    }

    /// <summary>The rule as first written: the first edge the value does not exceed, by bisection.</summary>
    private static int BinarySearchBin(float[] edges, float value)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = value <= edges[mid] ? (lo, mid) : (mid + 1, hi);
        }
        return lo;
    }

    [Fact]
    public void Ties_merge_bins_and_no_bin_is_empty_at_the_top()
    {
        // 95% zeros and 5% ones: one edge at 0, two bins holding 95% and 5%.
        var binary = Enumerable.Range(0, 1000).Select(i => i % 20 == 0 ? 1f : 0f).ToArray();
        var bins = QuantileBins.Of(binary);
        Assert.Equal([0f], bins.Edges);
        Assert.Equal([0.95, 0.05], bins.Shares.Select(s => Math.Round(s, 12)));

        var constant = QuantileBins.Of(new float[50]);
        Assert.Empty(constant.Edges);
        Assert.Equal([1.0], constant.Shares);
    }

    [Fact]
    public void Psi_is_zero_for_the_reference_itself_and_grows_with_the_shift()
    {
        double[] reference = [0.25, 0.25, 0.25, 0.25];
        Assert.Equal(0, Psi.Of(reference, [250, 250, 250, 250]), 12);
        Assert.Equal(0, Psi.Of(reference, new long[4]), 12);
        // (0.4-0.25)ln(0.4/0.25)·2 + (0.1-0.25)ln(0.1/0.25)·2
        var expected = (2 * 0.15 * Math.Log(1.6)) + (2 * -0.15 * Math.Log(0.4));
        Assert.Equal(expected, Psi.Of(reference, [400, 400, 100, 100]), 12);
        Assert.True(Psi.Of(reference, [1000, 0, 0, 0]) > Psi.Of(reference, [700, 100, 100, 100]));
        // An empty bin counts at the floor share, not as an infinite index.
        Assert.True(double.IsFinite(Psi.Of([0.5, 0.5, 0.0], [10, 10, 10])));
        Assert.Throws<ArgumentException>(() => Psi.Of(reference, [1, 2, 3]));
    }
}
