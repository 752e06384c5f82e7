using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Drift;

/// <summary>
/// Quantile bins of a reference sample (<see cref="BinnedDistribution"/>) and the one binning rule the trainer, the
/// scorer and Monitoring share (<see cref="BinOf"/>).
/// </summary>
public static class QuantileBins
{
    /// <summary>Deciles: enough resolution for the stability index, few enough bins to fill in a window of a thousand rows.</summary>
    public const int DefaultBins = 10;

    /// <summary>Edges counted one by one in <see cref="BinOf"/>; past this, a binary search.</summary>
    public const int MaxCountedEdges = 16;

    /// <summary>
    /// The bins of <paramref name="values"/> (reordered in place): edges at the 1/<paramref name="bins"/> quantiles,
    /// ties merged (a binary feature gets one edge, two bins), and no edge at the maximum, so no reference bin is empty
    /// at the top. Shares are counted with <see cref="BinOf"/> over every value.
    /// </summary>
    /// <exception cref="ArgumentException">no values, or fewer than two bins asked for.</exception>
    public static BinnedDistribution Of(Span<float> values, int bins = DefaultBins)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values to take quantiles of", nameof(values));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        values.Sort();
        var n = values.Length;
        var max = values[^1];
        var edges = new List<float>(bins - 1);
        for (var i = 1; i < bins; i++)
        {
            var edge = values[Math.Max(0, (int)Math.Ceiling(i * (double)n / bins) - 1)];
            if (edge < max && (edges.Count == 0 || edge > edges[^1]))
            {
                edges.Add(edge);
            }
        }
        var counts = new long[edges.Count + 1];
        var edgeSpan = (ReadOnlySpan<float>)edges.ToArray();
        foreach (var value in values)
        {
            counts[BinOf(edgeSpan, value)]++;
        }
        return new BinnedDistribution(edges, counts.Select(c => (double)c / n).ToArray());
    }

    /// <summary>The bin of <paramref name="value"/>: the first edge it does not exceed; past the last edge (or NaN), the last bin.</summary>
    /// <remarks>
    /// The edges are sorted (and never NaN), so the edges a value exceeds are a prefix and its bin is their count. Up to
    /// <see cref="MaxCountedEdges"/> edges they are counted without a branch, which costs less than a binary search's
    /// mispredicted branches (the scorer bins every feature of every transaction); NaN compares false everywhere and so
    /// exceeds them all either way.
    /// </remarks>
    public static int BinOf(ReadOnlySpan<float> edges, float value)
    {
        if (edges.Length <= MaxCountedEdges)
        {
            var exceeded = 0;
            foreach (var edge in edges)
            {
                exceeded += value <= edge ? 0 : 1;
            }
            return exceeded;
        }
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value <= edges[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
