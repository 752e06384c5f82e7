namespace Fraud.Streaming.Gbdt;

/// <summary>Equal-frequency bins per feature, from a deterministic sample of rows, then every row assigned to its bin.</summary>
internal static class QuantileBinner
{
    /// <summary>Rows looked at to place bin edges (as LightGBM's bin_construct_sample_cnt).</summary>
    internal const int SampleRows = 200_000;

    public static BinnedData Bin(GbdtDataset data, int maxBins, ParallelOptions parallel)
    {
        var rows = data.RowCount;
        var features = data.FeatureCount;
        var bins = new byte[(long)rows * features];
        var numBins = new int[features];
        var thresholds = new float[features][];
        var sampleStride = Math.Max(1, (rows + SampleRows - 1) / SampleRows);
        Parallel.For(0, features, parallel, () => new float[(rows + sampleStride - 1) / sampleStride], (f, _, sample) =>
        {
            var x = data.Features.Span;
            var n = 0;
            for (var r = 0; r < rows; r += sampleStride)
            {
                var v = x[(r * features) + f];
                if (!float.IsNaN(v))
                {
                    sample[n++] = v;
                }
            }
            var upper = UpperBounds(sample.AsSpan(0, n), maxBins);
            var column = bins.AsSpan(f * rows, rows);
            var max = new float[upper.Length];
            max.AsSpan().Fill(float.NegativeInfinity);
            for (var r = 0; r < rows; r++)
            {
                var v = x[(r * features) + f];
                if (float.IsNaN(v))
                {
                    column[r] = BinnedData.MissingBin;
                    continue;
                }
                var b = FindBin(upper, v);
                column[r] = (byte)b;
                if (v > max[b])
                {
                    max[b] = v;
                }
            }
            numBins[f] = upper.Length;
            thresholds[f] = max;
            return sample;
        }, _ => { });
        return new BinnedData(bins, rows, features, numBins, thresholds);
    }

    private static int FindBin(float[] upper, float v)
    {
        int lo = 0, hi = upper.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (v <= upper[mid])
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

    /// <summary>Inclusive upper edges of the value bins; the last is +∞ so every value has a bin.</summary>
    private static float[] UpperBounds(Span<float> sample, int maxBins)
    {
        if (sample.Length == 0)
        {
            return [];
        }
        sample.Sort();
        var distinct = new List<(float Value, int Count)>();
        foreach (var v in sample)
        {
            if (distinct.Count > 0 && distinct[^1].Value == v)
            {
                distinct[^1] = (v, distinct[^1].Count + 1);
            }
            else
            {
                distinct.Add((v, 1));
            }
        }
        var edges = new List<float>();
        if (distinct.Count <= maxBins)
        {
            foreach (var (value, _) in distinct)
            {
                edges.Add(value);
            }
        }
        else
        {
            var remaining = sample.Length;
            var binsLeft = maxBins;
            var inBin = 0;
            for (var i = 0; i < distinct.Count; i++)
            {
                inBin += distinct[i].Count;
                var target = (double)remaining / binsLeft;
                var valuesLeft = distinct.Count - i - 1;
                if (binsLeft > 1 && (inBin >= target || valuesLeft < binsLeft))
                {
                    edges.Add(distinct[i].Value);
                    remaining -= inBin;
                    inBin = 0;
                    binsLeft--;
                }
            }
            if (inBin > 0)
            {
                edges.Add(distinct[^1].Value);
            }
        }
        edges[^1] = float.PositiveInfinity;
        return [.. edges];
    }
}
