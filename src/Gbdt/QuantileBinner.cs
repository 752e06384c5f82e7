namespace Fraud.Streaming.Gbdt;

/// <summary>Equal-frequency bins per feature, from a deterministic sample of rows, then every row assigned to its bin.</summary>
internal static class QuantileBinner
{
    /// <summary>Rows looked at to place bin edges (as LightGBM's bin_construct_sample_cnt).</summary>
    internal const int SampleRows = 200_000;

    private const int BlockRows = 8192;

    public static BinnedData Bin(GbdtDataset data, int maxBins, ParallelOptions parallel)
    {
        var rows = data.RowCount;
        var features = data.FeatureCount;
        var sampleStride = Math.Max(1, (rows + SampleRows - 1) / SampleRows);
        var sampleCount = (rows + sampleStride - 1) / sampleStride;

        // Rows are stored row-major: gather the sample row by row, then sort each feature's values on its own.
        var samples = new float[features][];
        for (var f = 0; f < features; f++)
        {
            samples[f] = new float[sampleCount];
        }
        Parallel.For(0, (sampleCount + BlockRows - 1) / BlockRows, parallel, block =>
        {
            var x = data.Features.Span;
            var end = Math.Min(sampleCount, (block + 1) * BlockRows);
            for (var j = block * BlockRows; j < end; j++)
            {
                var row = x.Slice(j * sampleStride * features, features);
                for (var f = 0; f < features; f++)
                {
                    samples[f][j] = row[f];
                }
            }
        });
        var upper = new float[features][];
        // Each thread sorts with one pair of key buffers: fresh 800 KB arrays per feature cost more in page faults than the sort.
        Parallel.For(0, features, parallel, () => (new uint[sampleCount], new uint[sampleCount]), (f, _, buffers) =>
        {
            upper[f] = UpperBounds(samples[f], maxBins, buffers.Item1, buffers.Item2);
            return buffers;
        }, _ => { });
        var finders = upper.Select(u => new BinFinder(u)).ToArray();

        // Assign bins a block of rows at a time (reading each row once), tracking each bin's largest value.
        var bins = new byte[(long)rows * features];
        var maxima = new List<float[][]>();
        Parallel.For(0, (rows + BlockRows - 1) / BlockRows, parallel, () => NewMaxima(upper), (block, _, max) =>
        {
            var x = data.Features.Span;
            var start = block * BlockRows;
            var end = Math.Min(rows, start + BlockRows);
            for (var f = 0; f < features; f++)
            {
                var finder = finders[f];
                var fmax = max[f];
                var column = bins.AsSpan((f * rows) + start, end - start);
                for (var r = start; r < end; r++)
                {
                    var v = x[(r * features) + f];
                    if (float.IsNaN(v))
                    {
                        column[r - start] = BinnedData.MissingBin;
                        continue;
                    }
                    var b = finder.Find(v);
                    column[r - start] = (byte)b;
                    if (v > fmax[b])
                    {
                        fmax[b] = v;
                    }
                }
            }
            return max;
        }, max =>
        {
            lock (maxima)
            {
                maxima.Add(max);
            }
        });

        var numBins = new int[features];
        var thresholds = new float[features][];
        for (var f = 0; f < features; f++)
        {
            numBins[f] = upper[f].Length;
            thresholds[f] = new float[upper[f].Length];
            for (var b = 0; b < upper[f].Length; b++)
            {
                var m = float.NegativeInfinity;
                foreach (var partial in maxima)
                {
                    m = Math.Max(m, partial[f][b]);
                }
                thresholds[f][b] = m;
            }
        }
        return new BinnedData(bins, rows, features, numBins, thresholds);
    }

    private static float[][] NewMaxima(float[][] upper)
    {
        var max = new float[upper.Length][];
        for (var f = 0; f < upper.Length; f++)
        {
            max[f] = new float[upper[f].Length];
            max[f].AsSpan().Fill(float.NegativeInfinity);
        }
        return max;
    }

    /// <summary>
    /// Sorts floats (no NaN) by their bits mapped to order-preserving unsigned keys, 8 bits per pass. Introsort slows
    /// down badly on the many repeated values of discrete features; this does not.
    /// </summary>
    private static void RadixSort(Span<float> values, Span<uint> keys, Span<uint> temp)
    {
        keys = keys[..values.Length];
        temp = temp[..values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var bits = BitConverter.SingleToUInt32Bits(values[i] == 0 ? 0f : values[i]);
            keys[i] = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        }
        Span<int> counts = stackalloc int[256];
        for (var shift = 0; shift < 32; shift += 8)
        {
            counts.Clear();
            foreach (var k in keys)
            {
                counts[(int)((k >> shift) & 0xFF)]++;
            }
            if (counts[(int)((keys[0] >> shift) & 0xFF)] == keys.Length)
            {
                continue; // every key has this byte: the pass would not move anything
            }
            var sum = 0;
            for (var b = 0; b < 256; b++)
            {
                var c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            foreach (var k in keys)
            {
                temp[counts[(int)((k >> shift) & 0xFF)]++] = k;
            }
            var swap = keys;
            keys = temp;
            temp = swap;
        }
        for (var i = 0; i < values.Length; i++)
        {
            var k = keys[i];
            values[i] = BitConverter.UInt32BitsToSingle((k & 0x8000_0000u) != 0 ? k & 0x7FFF_FFFFu : ~k);
        }
    }

    /// <summary>The first bin whose upper edge is ≥ v (the last edge is +∞); a branch-free lower bound.</summary>
    internal static int FindBin(float[] upper, float v)
    {
        int lo = 0, n = upper.Length;
        while (n > 1)
        {
            var half = n >> 1;
            lo = upper[lo + half] < v ? lo + half : lo;
            n -= half;
        }
        return upper[lo] < v ? lo + 1 : lo;
    }

    /// <summary>Inclusive upper edges of the value bins; the last is +∞ so every value has a bin.</summary>
    private static float[] UpperBounds(float[] values, int maxBins, uint[] keys, uint[] temp)
    {
        var n = 0;
        foreach (var v in values)
        {
            if (!float.IsNaN(v))
            {
                values[n++] = v;
            }
        }
        if (n == 0)
        {
            return [];
        }
        var sample = values.AsSpan(0, n);
        RadixSort(sample, keys, temp);
        // The sorted sample as runs of equal values, walked twice (count, then place edges) instead of stored.
        var distinct = 1;
        for (var i = 1; i < n; i++)
        {
            if (sample[i] != sample[i - 1])
            {
                distinct++;
            }
        }
        var edges = new List<float>(Math.Min(distinct, maxBins));
        if (distinct <= maxBins)
        {
            for (var i = 0; i < n; i++)
            {
                if (i == 0 || sample[i] != sample[i - 1])
                {
                    edges.Add(sample[i]);
                }
            }
        }
        else
        {
            var remaining = n;
            var binsLeft = maxBins;
            var inBin = 0;
            var run = 0;
            for (var i = 0; i < n; run++)
            {
                var value = sample[i];
                var end = i + 1;
                while (end < n && sample[end] == value)
                {
                    end++;
                }
                inBin += end - i;
                i = end;
                var target = (double)remaining / binsLeft;
                var valuesLeft = distinct - run - 1;
                if (binsLeft > 1 && (inBin >= target || valuesLeft < binsLeft))
                {
                    edges.Add(value);
                    remaining -= inBin;
                    inBin = 0;
                    binsLeft--;
                }
            }
            if (inBin > 0)
            {
                edges.Add(sample[n - 1]);
            }
        }
        edges[^1] = float.PositiveInfinity;
        return [.. edges];
    }
}
